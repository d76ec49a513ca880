"""Configuration comes from the environment only, and production fails fast."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

PRINT_CONFIGURATION = """
import json
from django.conf import settings
from huey.contrib.djhuey import HUEY
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "database": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "huey": type(HUEY).__name__,
    "huey_immediate": HUEY.immediate,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "debug": settings.DEBUG,
}))
"""


def _configuration(settings_module: str, tmp_path, **environment) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        MAILLAGE_VAR_DIR=str(tmp_path),
        **environment,
    )
    script = "import django; django.setup()\n" + PRINT_CONFIGURATION
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nothing_set_means_sqlite_and_huey_on_sqlite(tmp_path):
    configuration = _configuration("config.settings.dev", tmp_path)
    assert configuration["engine"] == "django.db.backends.sqlite3"
    assert configuration["database"] == str(tmp_path / "db.sqlite3")
    assert configuration["cache"].endswith("FileBasedCache")
    assert configuration["huey"] == "SqliteHuey"
    assert configuration["tasks"] == "config.task_backend.HueyTaskBackend"


def test_database_url_selects_postgresql_and_redis_url_selects_redis(tmp_path):
    configuration = _configuration(
        "config.settings.dev",
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/maillage",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert configuration["engine"] == "django.db.backends.postgresql"
    assert configuration["database"] == "maillage"
    assert configuration["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert configuration["huey"] == "RedisHuey"


@pytest.mark.parametrize(
    ("module", "immediate"),
    [
        ("config.settings.dev", False),
        ("config.settings.test", True),
        ("config.settings.production", False),
    ],
)
def test_huey_immediate_mode_is_explicit_per_settings_module(
    tmp_path, module, immediate
):
    configuration = _configuration(
        module,
        tmp_path,
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="a.test",
        DJANGO_DEBUG="true",
        **PRODUCTION_SERVICES,
    )
    # DEBUG must not decide it (djhuey's default would make dev immediate).
    assert configuration["huey_immediate"] is immediate


PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://maillage@db.internal:5432/maillage",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://user:secret@smtp.example.org:587",
    "WAGTAILADMIN_BASE_URL": "https://maillage.example.org",
    "MAILLAGE_CLIENT_ADDRESS_HEADER": "HTTP_X_REAL_IP",
}


def _start_production(tmp_path, command: list[str], **environment):
    """Run a command under the production settings with only these variables."""
    unset = {*PRODUCTION_SERVICES, "DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_ALLOWED_HOSTS="maillage.example.org",
        MAILLAGE_VAR_DIR=str(tmp_path),
        **environment,
    )
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_SERVICES))
def test_production_refuses_to_start_without_its_services(tmp_path, missing):
    result = _start_production(
        tmp_path,
        ["-c", "import django; django.setup()"],
        DJANGO_SECRET_KEY="x" * 60,
        **{k: v for k, v in PRODUCTION_SERVICES.items() if k != missing},
    )
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _start_production(tmp_path, ["manage.py", "check"], **PRODUCTION_SERVICES)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_passes_the_deployment_checks(tmp_path):
    result = _start_production(
        tmp_path,
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY="k7#Qz!p2@Lw9$Xr4^Nv8&Tb1*Hc6(Jm3)Fd5-Gs0+Ya7=Ue2%Wo4~Ki8",
        **PRODUCTION_SERVICES,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_running_suite_uses_the_database_the_environment_names(db):
    expected = (
        "postgresql"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "sqlite"
    )
    assert connection.vendor == expected


def test_the_running_suite_uses_the_cache_the_environment_names():
    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "django.core.cache.backends.redis.RedisCache"
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
