"""Directory page speed at 50,000 accounts (plus 50,000 in another organisation).

Measures the server time of the directory page with a filter and a sort (p95 over repeated
requests through Django's test client: view, queries and template, no network), and its
query count at 10 and at 50,000 accounts. Target: p95 under 150 ms on PostgreSQL.
"""

import random
import time
from decimal import Decimal

from _setup import bench_database, summary
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

ACCOUNTS = 50_000
REQUESTS = 60
NICHES = ["skincare", "coffee", "fitness", "vegan", "travel", "food", "fashion", "tech"]
CITIES = ["Berlin", "Hamburg", "Vienna", "Zurich", "Munich", "Paris", "Lisbon", "Milan"]


def build_roster(organization, count, rng, start=0):
    """Insert `count` influencers with one account each, in bulk, then derive the figures."""
    from influencers import services
    from influencers.models import Influencer, SocialAccount

    niches = services.niches_resolve(organization=organization, names=NICHES)
    people = Influencer.objects.bulk_create(
        [
            Influencer(
                organization=organization,
                name=f"Creator {start + number}",
                location=rng.choice(CITIES),
                status=rng.choice(["prospect", "contacted", "partner"]),
            )
            for number in range(count)
        ],
        batch_size=5000,
    )
    through = Influencer.niches.through
    through.objects.bulk_create(
        [through(influencer_id=p.pk, niche_id=rng.choice(niches).pk) for p in people],
        batch_size=5000,
    )
    accounts = []
    for number, person in enumerate(people):
        followers = int(rng.lognormvariate(8.5, 1.3))
        account = SocialAccount(
            organization=organization,
            influencer=person,
            platform=rng.choice(["instagram", "instagram", "tiktok", "youtube"]),
            handle=f"creator_{start + number}",
            handle_key=f"creator_{start + number}",
            followers=followers,
            avg_likes=Decimal(int(followers * rng.uniform(0.005, 0.12))),
            avg_comments=Decimal(int(followers * rng.uniform(0.0005, 0.01))),
            engagement_sample_size=12,
        )
        accounts.append(account)
    SocialAccount.objects.bulk_create(accounts, batch_size=5000)
    started = time.perf_counter()
    services.social_accounts_recompute(organization=organization)
    return time.perf_counter() - started


def page_queries(client, params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/influencers/", params).status_code == 200
    return len(captured)


def main():
    from accounts.models import User
    from accounts.services import organization_create
    from influencers.models import FollowerTier

    rng = random.Random(7)
    with bench_database():
        user = User.objects.create_user("bench@example.com", "x")
        mine = organization_create(user=user, name="Bench")
        other = organization_create(
            user=User.objects.create_user("other@example.com", "x"), name="Other"
        )
        client = Client()
        client.force_login(user)

        build_roster(mine, 10, rng)
        micro = FollowerTier.objects.get(organization=mine, name="micro")
        params = {
            "platform": "instagram",
            "tier": str(micro.code),
            "verdict": "above",
            "sort": "-followers",
        }
        at_ten = page_queries(client, params)

        started = time.perf_counter()
        refresh_mine = build_roster(mine, ACCOUNTS - 10, rng, start=10)
        build_roster(other, ACCOUNTS, rng)
        print(
            f"built 2 x {ACCOUNTS:,} accounts in {time.perf_counter() - started:.1f} s "
            f"(tier/benchmark refresh of one organisation: {refresh_mine:.2f} s)"
        )
        connection.cursor().execute("ANALYZE")

        at_many = page_queries(client, params)
        print(f"queries per page: {at_ten} at 10 accounts, {at_many} at {ACCOUNTS:,}")
        cases = {
            "micro + Instagram + above benchmark, sorted by followers desc": params,
            "no filter, sorted by name": {"sort": "name"},
            "search 'creator_4', sorted by engagement": {"q": "creator_4", "sort": "-engagement"},
            "niche skincare + Berlin, page 20": {
                "niche": "skincare",
                "location": "Berlin",
                "page": 20,
            },
        }
        for label, query in cases.items():
            client.get("/influencers/", query)  # warm
            samples = []
            for _ in range(REQUESTS):
                started = time.perf_counter()
                response = client.get("/influencers/", query)
                samples.append(time.perf_counter() - started)
            rows = response.context["page"].paginator.count
            print(f"{label}: {rows:,} rows; {summary(samples)}")


if __name__ == "__main__":
    main()
