"""Small helpers that read settings from the environment.

Every setting has an embedded default so that a fresh clone runs with nothing set; production
sets the variables listed in `.env.example`.
"""

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS)}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from error


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    return os.environ.get(name, default)


# Keys printed in this repository (the development default, an earlier compose default).
PUBLISHED_SECRET_KEYS = {
    "insecure-development-key-never-use-in-production",
    "change-me-insecure-compose-default",
}
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5


def secret_key_problem(key: str) -> str | None:
    """Why `key` must not sign anything in production, or None when it may.

    The thresholds are Django's own (the security.W009 deployment check).
    """
    if key in PUBLISHED_SECRET_KEYS:
        return "is a published placeholder"
    if key.startswith("django-insecure-"):
        return "starts with django-insecure-, a development key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"has {len(key)} characters; it needs at least {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        return (
            f"has {len(set(key))} different characters; it needs at least {SECRET_KEY_MIN_DISTINCT}"
        )
    return None
