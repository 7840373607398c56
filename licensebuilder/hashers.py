"""The password hasher: Argon2id with the parameters OWASP's password storage guidance names as its
first choice (m=19 MiB, t=2, p=1). Django's own Argon2 defaults (100 MiB, 8 lanes) cost several
times more per login on a small server for no gain in that guidance's terms."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # the same encoded format as Django's: hashes stay readable by it
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
