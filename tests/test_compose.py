"""docker-compose.yml is a valid Compose file, with nothing set, for the stack production runs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat")


# CI installs a compose tool and sets this, so that a missing one fails there; on a laptop
# without one the tests skip, and `make test` stays green.
REQUIRED = os.environ.get("REQUIRE_COMPOSE") == "1"


def _no_compose(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} Install one (Debian: apt-get install docker-compose).")
    pytest.skip(reason)


def _compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, timeout=60
        )
        if probe.returncode == 0:
            return ["docker", "compose"]
        _no_compose("The docker client is installed without its compose plugin.")
    _no_compose("Neither docker-compose nor docker with its compose plugin is installed.")


def _compose_config(empty_env_file: Path, *args: str) -> subprocess.CompletedProcess:
    # Only PATH and HOME, and an empty env file in place of any local .env: the file must
    # validate with nothing set.
    environment = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    return subprocess.run(
        [
            *_compose_command(),
            "--env-file",
            str(empty_env_file),
            "--file",
            str(COMPOSE_FILE),
            "config",
            *args,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def empty_env_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("compose") / "empty.env"
    path.write_text("")
    return path


def test_it_validates_with_nothing_set(empty_env_file):
    result = _compose_config(empty_env_file, "-q")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def services(empty_env_file) -> dict:
    result = _compose_config(empty_env_file)
    assert result.returncode == 0, result.stdout + result.stderr
    return yaml.safe_load(result.stdout)["services"]


def test_it_runs_the_whole_stack(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


@pytest.mark.parametrize("name", ["postgres", "redis", "web"])
def test_it_health_checks_the_servers(services, name):
    assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis_and_the_migrations(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_run_in_production_mode_on_postgresql_and_redis(services, name):
    environment = services[name]["environment"]
    assert environment["DEBUG"] == "false"
    assert environment["ALLOWED_HOSTS"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["DATABASE_CONN_MAX_AGE"] == "60"  # the default, 0, suits runserver
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    # One image for all three, so web, worker and beat always run the same code.
    assert services[name]["image"] == services["web"]["image"]


@pytest.mark.parametrize("name", ["migrate", *APP_SERVICES])
def test_nothing_starts_until_a_secret_key_is_set(services, name, tmp_path):
    # The compose file must not supply a key that works: one written in a public file lets
    # anyone sign sessions and email-verification links.
    environment = services[name]["environment"]
    assert environment["SECRET_KEY"] == ""
    settings_env = {key: str(value) for key, value in environment.items()}
    settings_env.update(
        PATH=os.environ["PATH"], DJANGO_SETTINGS_MODULE="config.settings", DATA_DIR=str(tmp_path)
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=settings_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr
