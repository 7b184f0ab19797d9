import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.servers import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_tests_run_on_postgresql_when_database_url_says_so():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql", "DATABASE_URL is set but tests run elsewhere"
    else:
        assert connection.vendor == "sqlite"


@pytest.mark.django_db(transaction=True)
def test_the_development_server_does_not_keep_a_connection_per_request(tmp_path):
    """`make run` on PostgreSQL: 60 requests must not leave 60 connections open."""
    if connection.vendor != "postgresql":
        pytest.skip("counts PostgreSQL's connections; SQLite has none to count")
    name = connection.settings_dict["NAME"]
    url = f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(tmp_path), "DEBUG": "true"}
    env.pop("DATABASE_CONN_MAX_AGE", None)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz")
        for _ in range(60):
            # A token is looked up in the database on every request, even a wrong one.
            request = urllib.request.Request(
                f"{base}/api/v1/brands/", headers={"Authorization": "Token wrong"}
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            assert refused.value.code == 401
        assert _connections_to(name) <= 2
    finally:
        server.terminate()
        server.wait(timeout=30)


def _connections_to(database: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return cursor.fetchone()[0]
