"""Settings for the benchmarks: development settings, DEBUG off, plus the
Wagtail form page the benchmarks compare against."""

from .dev import *  # noqa: F403
from .dev import INSTALLED_APPS

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.bench.baseline"]
MAILLAGE_SUBMISSIONS_PER_ADDRESS = (10**9, 3600)
