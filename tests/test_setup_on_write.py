"""An organisation gets its defaults when it is created; reading a page never writes."""

import importlib
import re
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Membership, Organization, Role
from config.api import router
from influencers.defaults import DEFAULT_SCHEME
from influencers.models import Benchmark, EngagementSettings, FollowerTier
from tests.api import Api
from tests.factories import MembershipFactory, UserFactory

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# Links a person can follow without changing anything: not signing out, not the admin.
SKIP = ("/accounts/logout", "/admin/", "/api/", "/static/")
LINK = re.compile(r'href="(/[^"#]*)"')


def _defaults_of(organization) -> tuple:
    return (
        list(
            FollowerTier.objects.filter(organization=organization)
            .order_by("lower")
            .values_list("name", "lower", "upper")
        ),
        Benchmark.objects.filter(organization=organization).count(),
        EngagementSettings.objects.filter(organization=organization).count(),
    )


EXPECTED = (
    [(tier.name, tier.lower, tier.upper) for tier in DEFAULT_SCHEME.tiers],
    len(DEFAULT_SCHEME.benchmarks),
    1,
)


@pytest.mark.django_db
def test_signing_up_creates_the_organisation_with_its_tiers_benchmarks_and_settings():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts-onboarding"), {"name": "Fresh Brand"})
    assert response.status_code == 302
    organization = Organization.objects.get(name="Fresh Brand")
    assert _defaults_of(organization) == EXPECTED
    micro = Benchmark.objects.get(
        organization=organization, platform="instagram", tier__name="micro"
    )
    assert micro.rate == Decimal("6.000") and micro.source


@pytest.mark.django_db
def test_an_organisation_added_in_the_admin_gets_its_defaults():
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_organization_add"),
        {
            "name": "Admin Made",
            "slug": "admin-made",
            # The members inline, empty (its prefix is "-1": memberships have no reverse name).
            "-1-TOTAL_FORMS": "0",
            "-1-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _defaults_of(Organization.objects.get(slug="admin-made")) == EXPECTED


@pytest.mark.django_db
def test_the_demo_workspace_is_created_with_its_defaults():
    from accounts.demo import demo_workspace_ensure

    organization, created = demo_workspace_ensure()
    assert created and _defaults_of(organization) == EXPECTED


@pytest.mark.django_db
def test_the_data_migration_fills_organisations_without_defaults_and_can_run_again(team):
    bare = team.outsider.organization
    FollowerTier.objects.filter(organization=bare).delete()
    EngagementSettings.objects.filter(organization=bare).delete()
    edited = team.organization
    FollowerTier.objects.filter(organization=edited, name="mega").delete()  # its own table
    migration = importlib.import_module("influencers.migrations.0004_organization_defaults_fill")

    migration.fill(apps, None)
    migration.fill(apps, None)

    assert _defaults_of(bare) == EXPECTED
    assert [name for name, *_ in _defaults_of(edited)[0]] == ["nano", "micro", "mid-tier", "macro"]


def _pages_of_a_fresh_organisation(client) -> dict[str, list[str]]:
    """Every page reachable from the home page by links, with the writes each one made."""
    seen, queue, writes = set(), ["/"], {}
    while queue:
        url = queue.pop()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        writes[url] = [q["sql"] for q in queries if WRITES.match(q["sql"])]
        if response.status_code == 302:
            queue.append(response["Location"])
        elif "text/html" in response.get("Content-Type", ""):
            queue += LINK.findall(response.content.decode())
    return writes


@pytest.mark.django_db
def test_no_page_of_a_fresh_organisation_writes_to_the_database():
    owner = UserFactory()
    organization = account_services.organization_create(user=owner, name="Fresh")
    MembershipFactory(organization=organization, role=Role.MANAGER)
    client = Client()
    client.force_login(owner)  # the session and last_login are written here, before counting
    writes = _pages_of_a_fresh_organisation(client)
    assert len(writes) >= 10, sorted(writes)  # the crawl reached the product's pages
    assert {"/influencers/", "/influencers/settings/", "/campaigns/"} <= set(writes)
    assert {url: sql for url, sql in writes.items() if sql} == {}


@pytest.mark.django_db
def test_no_api_list_of_a_fresh_organisation_writes_to_the_database():
    owner = UserFactory()
    organization = account_services.organization_create(user=owner, name="Fresh")
    api = Api(Membership.objects.get(organization=organization))
    prefixes = [prefix for prefix, _viewset, _basename in router.registry]
    for prefix in prefixes:
        api.get(f"/api/v1/{prefix}/")  # the token's first use stamps it; not a page's write
    for prefix in prefixes:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/{prefix}/")
        assert response.status_code == 200, (prefix, response.content)
        assert [q["sql"] for q in queries if WRITES.match(q["sql"])] == [], prefix
    assert api.get("/api/v1/tiers/").json()["count"] == len(DEFAULT_SCHEME.tiers)


@pytest.mark.django_db(transaction=True)
def test_two_first_visits_at_the_same_moment_only_read():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions, which SQLite serialises")
    owner = UserFactory()
    organization = account_services.organization_create(user=owner, name="Fresh")
    urls = ["/influencers/", "/influencers/settings/", "/influencers/", "/api/v1/tiers/"]
    clients = []
    for _url in urls:
        client = Client()
        client.force_login(owner)
        clients.append(client)
    start, seen = threading.Barrier(len(urls)), {}

    def first_visit(number):
        try:
            start.wait(10)
            with CaptureQueriesContext(connections["default"]) as queries:
                response = clients[number].get(urls[number])
            writes = [q["sql"] for q in queries if WRITES.match(q["sql"])]
            seen[number] = (response.status_code, writes)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first_visit, args=(n,)) for n in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {number: (200, []) for number in range(len(urls))}
    assert _defaults_of(organization) == EXPECTED
