"""Production settings: behind HTTPS, secrets from the environment only."""

from .base import *  # noqa: F403
from .base import HUEY, env

# No fallback: a missing key stops the server instead of running insecurely.
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# Production runs on PostgreSQL, Redis and a real mail server, behind a proxy
# that names the client's address: refuse to start when one is not configured,
# rather than fall back to the laptop defaults of base.py.
for required in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "WAGTAILADMIN_BASE_URL"):
    env.str(required)
MAILLAGE_CLIENT_ADDRESS_HEADER = env.str("MAILLAGE_CLIENT_ADDRESS_HEADER")

HUEY_IMMEDIATE = False
HUEY["immediate"] = HUEY_IMMEDIATE
HUEY["consumer"]["workers"] = env.int("HUEY_WORKERS", default=4)
