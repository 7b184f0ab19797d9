"""Shared set-up for benchmark scripts: Django on a throw-away test database.

Run a benchmark from the repository root on PostgreSQL, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1/microcampaigns .venv/bin/python bench/directory.py
The scripts create `bench_<name>` next to the configured database and drop it afterwards.
"""

import os
import statistics
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402


@contextmanager
def bench_database(keep=False):
    if connection.vendor != "postgresql":
        sys.exit("Benchmarks run on PostgreSQL: set DATABASE_URL.")
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # Its own name, so a benchmark never drops the database of a test run going on beside it.
    connection.settings_dict["TEST"]["NAME"] = f"bench_{old_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        # The set-up builds and inspects several organisations' rows; the requests it sends
        # start outside any scope and enter their member's, as in production.
        with scopes_disabled():
            yield
    finally:
        if keep:
            print(f"kept the database {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(samples: list[float]) -> str:
    return (
        f"n={len(samples)} p50={statistics.median(samples) * 1000:.1f} ms "
        f"p95={percentile(samples, 0.95) * 1000:.1f} ms max={max(samples) * 1000:.1f} ms"
    )
