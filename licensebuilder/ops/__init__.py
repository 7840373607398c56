"""What running the site in production needs: request limits, headers, structured logs, health."""
