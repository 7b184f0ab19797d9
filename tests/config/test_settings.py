"""The settings module in its two ways to run, checked in fresh interpreters."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'broker': s.CELERY_BROKER_URL, "
    "'cache': s.CACHES['default']['BACKEND'], 'email': s.EMAIL_BACKEND}))"
)
# Like the keys README.md and .env.example tell people to generate.
GOOD_KEY = "mZ0rT9c1kQ2vX8bN3hL7wP4sD6fG5jA_yU-eR0iO9tY8uI7oP6aS5dF4gH3jK2lZ1x"
ENV_NAMES = ("DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_HOST")


def _run(args, tmp_path, **env):
    clean = {key: value for key, value in os.environ.items() if key not in ENV_NAMES}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_with_nothing_set_it_runs_on_embedded_defaults(tmp_path):
    result = _run(["-c", PRINT_SETTINGS], tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "db": "django.db.backends.sqlite3",
        "broker": "filesystem://",
        "cache": "django.core.cache.backends.filebased.FileBasedCache",
        "email": "django.core.mail.backends.console.EmailBackend",
    }


def test_database_url_and_redis_url_switch_to_postgresql_and_redis(tmp_path):
    result = _run(
        ["-c", PRINT_SETTINGS],
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout)
    assert settings["db"] == "django.db.backends.postgresql"
    assert settings["broker"] == "redis://127.0.0.1:6379/3"
    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_production_refuses_to_start_without_secret_key_or_allowed_hosts(tmp_path):
    result = _run(["-c", PRINT_SETTINGS], tmp_path, DEBUG="false", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr
    result = _run(["-c", PRINT_SETTINGS], tmp_path, DEBUG="false", SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


@pytest.mark.parametrize(
    "key, reason",
    [
        ("change-me-insecure-compose-default", "is a published placeholder"),
        ("insecure-development-key-never-use-in-production", "is a published placeholder"),
        ("django-insecure-" + "q7#x2!" * 10, "starts with django-insecure-, a development key"),
        ("s3cr3t-but-short-9f2k", "has 21 characters; it needs at least 50"),
        ("abcd" * 20, "has 4 different characters; it needs at least 5"),
    ],
)
def test_production_refuses_a_placeholder_short_or_repetitive_secret_key(tmp_path, key, reason):
    result = _run(
        ["-c", PRINT_SETTINGS],
        tmp_path,
        DEBUG="false",
        SECRET_KEY=key,
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode != 0
    assert f"ImproperlyConfigured: SECRET_KEY {reason}." in result.stderr
    # The refusal says how to make a good one.
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="campaigns.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_forbid_loading_anything_from_outside(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "http" not in policy
