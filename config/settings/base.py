"""Settings shared by every environment.

Safe by default: DEBUG is off and every integration switches on only when its
environment variable is set. Nothing set means SQLite and Huey on SQLite, so a
laptop needs no service.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"
env = environ.Env()

# Local state of the embedded default (SQLite files, cache, media) lives here.
VAR_DIR = Path(env.str("MAILLAGE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A form refused for its missing cookie is explained in the site's own look.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

INSTALLED_APPS = [
    "config",
    "content",
    "forms_library",
    "workflows",
    "data_protection",
    "wagtail.contrib.routable_page",
    "wagtail.api.v3",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "huey.contrib.djhuey",
    "formtools",
    "simple_history",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.ApiQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: DATABASE_URL selects PostgreSQL; nothing set means a SQLite file.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Huey worker share the file without
    # "database is locked" errors under ordinary load.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: REDIS_URL selects Redis; nothing set means files under var/, which the
# web server and the worker processes share.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "maillage",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Huey: REDIS_URL selects RedisHuey; nothing set means Huey's SQLite storage.
# `immediate` is set explicitly in every settings module, because djhuey
# otherwise ties it to DEBUG and silently turns periodic tasks off.
HUEY_IMMEDIATE = False
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "maillage",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "maillage",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "utc": True,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# Django's task framework (used by Wagtail for its own background work) runs
# on the same Huey queue.
TASKS = {"default": {"BACKEND": "config.task_backend.HueyTaskBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [SITE_DIR / "locale"]
# The language coordinators write pages and forms in; pages shown in another
# language mark that content with it.
MAILLAGE_CONTENT_LANGUAGE = env("MAILLAGE_CONTENT_LANGUAGE", default="fr")
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Residents' attachments: never under MEDIA_URL, served only through a
# permission check. Point PRIVATE_MEDIA_ROOT (or this backend) elsewhere in
# production, e.g. a private object-storage bucket.
PRIVATE_MEDIA_ROOT = env.str(
    "DJANGO_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    # Attachments of forms being filled; emptied of abandoned ones hourly.
    "private_in_progress": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(Path(PRIVATE_MEDIA_ROOT) / "in-progress"),
            "base_url": None,
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: the console by default; EMAIL_URL selects an SMTP server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "localhost")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)

# Text messages: the console by default; a provider's class in production.
MAILLAGE_SMS_BACKEND = env.str(
    "MAILLAGE_SMS_BACKEND", default="workflows.channels.ConsoleSmsBackend"
)
MAILLAGE_SMS_FILE_PATH = env.str("MAILLAGE_SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
# Seconds before a failed message is sent again; doubled at each try.
MAILLAGE_NOTIFICATION_RETRY_DELAY = 30
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Maillage <noreply@maillage.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security that does not depend on HTTPS.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Files sent to the forms API travel inside JSON (base64, a third bigger):
# room for a 10 MB attachment. Uploads through the pages stream to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Wagtail.
WAGTAIL_SITE_NAME = "Maillage"
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000"
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Staff avatars are never asked of Gravatar: it would send a hash of each
# staff member's email address to a third party on every admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

LOGIN_URL = "wagtailadmin_login"

# Public forms: at most this many submissions per address per window (seconds).
MAILLAGE_SUBMISSIONS_PER_ADDRESS = (
    env.int("MAILLAGE_SUBMISSIONS_PER_ADDRESS", default=30),
    env.int("MAILLAGE_SUBMISSIONS_WINDOW", default=3600),
)
# Header holding the client address when behind a trusted proxy (e.g.
# "HTTP_X_REAL_IP"); REMOTE_ADDR otherwise.
MAILLAGE_CLIENT_ADDRESS_HEADER = env.str(
    "MAILLAGE_CLIENT_ADDRESS_HEADER", default="REMOTE_ADDR"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "maillage": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
