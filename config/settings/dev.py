"""Settings for a developer's laptop: `make run`."""

from .base import *  # noqa: F403
from .base import HUEY, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="dev-only-insecure-key-never-used-in-production-7c1d",
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"]
)

# The Huey consumer started by `make run` runs tasks, periodic ones included.
HUEY_IMMEDIATE = False
HUEY["immediate"] = HUEY_IMMEDIATE
