"""Settings for the benchmarks: development settings, DEBUG off, plus the
Wagtail form page the benchmarks compare against."""

from .dev import *  # noqa: F403
from .dev import INSTALLED_APPS

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Wagtail's own form builder, the baseline the intake forms are measured
# against; the product itself does not offer it.
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.forms", "tests.bench.baseline"]
MAILLAGE_SUBMISSIONS_PER_ADDRESS = (10**9, 3600)
