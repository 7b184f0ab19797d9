import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_tests_run_on_postgresql_when_database_url_says_so():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql", "DATABASE_URL is set but tests run elsewhere"
    else:
        assert connection.vendor == "sqlite"
