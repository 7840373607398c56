# The production image: gunicorn serving the app, static files by WhiteNoise, PostgreSQL and Redis
# outside. The same image runs the PDF render workers (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DEBUG=0
# WeasyPrint lays out PDFs with Pango; DejaVu is the license's typeface.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY licensebuilder ./licensebuilder
RUN pip install -c constraints.txt .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 app
USER app
EXPOSE 8000
# Workers, threads, preloading and recycling: gunicorn.conf.py (WEB_CONCURRENCY, WEB_THREADS).
# After an upgrade, every draft's checks are brought up to date in one bulk pass before serving.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py license relint && exec gunicorn licensebuilder.wsgi --bind 0.0.0.0:8000 --access-logfile -"]
