"""Settings for the test suite.

The database and Redis come from the environment as everywhere else, so the
same suite runs on SQLite and on PostgreSQL + Redis. Tasks run immediately in
the test process; a test that needs a real consumer starts one itself.
"""

import os

from .base import *  # noqa: F403
from .base import HUEY, REDIS_URL, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail stays in memory, except for a consumer a test points at its own SMTP server.
if not env.str("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Retries after seconds, not minutes, for the tests that run a real consumer.
MAILLAGE_NOTIFICATION_RETRY_DELAY = 1
MAILLAGE_SMS_BACKEND = "workflows.channels.FileSmsBackend"
MAILLAGE_SMS_FILE_PATH = str(VAR_DIR / "test-sms")
WAGTAILADMIN_BASE_URL = "http://testserver"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the shared in-memory database: the live server's thread then
    # waits for a lock (busy timeout) instead of failing the test's flush.
    # One per test run, so two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")
    }
else:
    # A test database needs no durability: a commit returns without waiting
    # for the disk (the many flushes of transactional tests add up).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c synchronous_commit=off"
    )

if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks run in the test process, except in the consumer a test starts itself.
HUEY_IMMEDIATE = env.bool("MAILLAGE_TEST_HUEY_IMMEDIATE", default=True)
HUEY["immediate"] = HUEY_IMMEDIATE
HUEY["name"] = "maillage-test"
if "filename" in HUEY:
    HUEY["filename"] = str(VAR_DIR / "test-huey.sqlite3")
MEDIA_ROOT = str(VAR_DIR / "test-media")
STORAGES["private"]["OPTIONS"]["location"] = str(VAR_DIR / "test-private")  # noqa: F405
STORAGES["private_in_progress"]["OPTIONS"]["location"] = str(  # noqa: F405
    VAR_DIR / "test-private" / "in-progress"
)

LOGGING["loggers"]["huey"]["level"] = "WARNING"  # noqa: F405
