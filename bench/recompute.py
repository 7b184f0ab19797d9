"""Recomputing 100,000 accounts' engagement, tier, benchmark and ratio.

Times a full recompute after the organisation changes what counts (saves now count), then a
second recompute with nothing changed, which must update no row. Rows updated are read from
PostgreSQL's own counter (pg_stat_user_tables.n_tup_upd), not from the service.
"""

import random
import time
from decimal import Decimal

from _setup import bench_database
from django.db import connection

ACCOUNTS = 100_000


def build_roster(organization, count, rng) -> None:
    """Insert `count` influencers with one account each, with measured averages only."""
    from influencers.models import Influencer, SocialAccount

    people = Influencer.objects.bulk_create(
        [Influencer(organization=organization, name=f"Creator {n}") for n in range(count)],
        batch_size=5000,
    )
    accounts = []
    for number, person in enumerate(people):
        followers = int(rng.lognormvariate(8.5, 1.3)) + 1
        accounts.append(
            SocialAccount(
                organization=organization,
                influencer=person,
                platform=rng.choice(["instagram", "instagram", "tiktok", "youtube"]),
                handle=f"creator_{number}",
                handle_key=f"creator_{number}",
                followers=followers,
                avg_likes=Decimal(int(followers * rng.uniform(0.005, 0.12))),
                avg_comments=Decimal(int(followers * rng.uniform(0.0005, 0.01))),
                # Two accounts in three have saves, so counting them changes those rates.
                avg_saves=Decimal(int(followers * rng.uniform(0.001, 0.02)))
                if number % 3
                else None,
                engagement_sample_size=12,
            )
        )
    SocialAccount.objects.bulk_create(accounts, batch_size=5000)


def rows_updated() -> int:
    """How many rows of the accounts table PostgreSQL has updated so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
    # A new statement: the flush happens when the previous one ends.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'influencers_socialaccount'"
        )
        return cursor.fetchone()[0]


def vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE influencers_socialaccount")
    print("VACUUM ANALYZE influencers_socialaccount done before timing")


def timed_recompute(label: str, organization) -> int:
    from influencers import services

    vacuum_analyze()
    before = rows_updated()
    started = time.perf_counter()
    services.social_accounts_recompute(organization=organization)
    seconds = time.perf_counter() - started
    time.sleep(0.1)
    updated = rows_updated() - before
    print(
        f"{label}: {seconds:.2f} s for {ACCOUNTS:,} accounts "
        f"({ACCOUNTS / seconds:,.0f} accounts/s), rows updated {updated:,}"
    )
    return updated


def main():
    from accounts.models import User
    from accounts.services import organization_create
    from influencers.models import EngagementSettings

    with bench_database():
        user = User.objects.create_user("bench@example.com", "x")
        organization = organization_create(user=user, name="Bench")
        started = time.perf_counter()
        build_roster(organization, ACCOUNTS, random.Random(5))
        print(f"built {ACCOUNTS:,} accounts in {time.perf_counter() - started:.1f} s")
        timed_recompute("first recompute (every figure new)", organization)
        EngagementSettings.objects.filter(organization=organization).update(include_saves=True)
        timed_recompute("full recompute after 'saves count'", organization)
        unchanged = timed_recompute("second recompute, nothing changed", organization)
        assert unchanged == 0, f"a recompute with nothing changed updated {unchanged:,} rows"


if __name__ == "__main__":
    main()
