"""Generated isolation and role tests over every URL pattern of the product.

For every URL that names an object: a member of another organisation gets 404 for every
method, never sees the object's marker, and changes nothing; a manager gets 403 for every
write and changes nothing; a member allowed to read gets 200 (so each case really points at
its object). Every write without an object id refuses managers the same way, and every page
a member reads never shows another organisation's markers. The meta-test at the end fails
when a URL pattern is added without being covered here or listed with a reason.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from accounts.tenancy import tenancy_check_all_organisations
from campaigns.services import (
    campaign_save,
    goal_measurement_record,
    goal_save,
    idea_save,
    shortlist_add,
    term_sheet_save,
)
from tests.factories import (
    ApiTokenFactory,
    BrandFactory,
    InfluencerFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
    make_account,
)

MARKER = "zq7marker"
PRODUCT_APPS = ["accounts", "influencers", "campaigns", "outreach", "metrics"]


@dataclass
class Request:
    method: str
    data: dict | None = None
    json: bool = False  # API requests send JSON

    def send(self, client, url):
        if self.json:
            body = json.dumps(self.data or {})
            return client.generic(self.method, url, body, content_type="application/json")
        if self.method == "GET":
            return client.get(url)
        return client.post(url, self.data or {})


@dataclass
class ObjectCase:
    """A URL naming one object: how to make that object, and what may be done to it."""

    build: Callable  # (team) -> url kwargs; the object's text contains MARKER
    reads: list[Request] = field(default_factory=lambda: [Request("GET")])
    writes: list[Request] = field(default_factory=list)
    reader: str = "marketer"  # a member who may read it (200)


def _brand(team):
    brand = BrandFactory(organization=team.organization, name=f"{MARKER} brand")
    return {"code": brand.code}


def _member(team):
    user = UserFactory(email=f"{MARKER}@example.com")
    return {"code": MembershipFactory(organization=team.organization, user=user).code}


def _invitation(team):
    invitation = InvitationFactory(organization=team.organization, email=f"{MARKER}@example.com")
    return {"code": invitation.code}


def _api_token(team):
    token = ApiTokenFactory(
        organization=team.organization, user=team.manager.user, name=f"{MARKER} token"
    )
    return {"code": token.code}


def _organization(team):
    team.organization.name = f"{MARKER} organisation"
    team.organization.save()
    return {"code": team.organization.code}


def _influencer(team):
    influencer = InfluencerFactory(organization=team.organization, name=f"{MARKER} person")
    return {"code": influencer.code}


def _social_account(team):
    influencer = InfluencerFactory(organization=team.organization, name=f"{MARKER} person")
    return {"code": make_account(influencer, handle=f"{MARKER}_handle").code}


def _tier(team):
    from influencers.models import FollowerTier

    tier = FollowerTier.objects.create(
        organization=team.organization,
        name=f"{MARKER} tier",
        lower=7_000_000 + FollowerTier.objects.count(),
    )
    return {"code": tier.code}


def _benchmark(team):
    from influencers.models import Benchmark, FollowerTier

    tier = FollowerTier.objects.create(
        organization=team.organization,
        name=f"{MARKER} band",
        lower=8_000_000 + FollowerTier.objects.count(),
    )
    benchmark = Benchmark.objects.create(
        organization=team.organization,
        platform="instagram",
        tier=tier,
        rate="2.5",
        source=f"{MARKER} report",
        year=2024,
    )
    return {"code": benchmark.code}


def _import_job(team):
    from django.core.files.storage import default_storage

    from influencers.importing.jobs import import_job_read
    from influencers.models import ImportJob

    # One fixed file under MEDIA_ROOT, written once, so runs do not pile up uploads.
    name = "imports/isolation-test-roster.csv"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"platform,handle\ninstagram,someone\n"))
    job = ImportJob.objects.create(
        organization=team.organization, original_name=f"{MARKER} roster.csv", file=name
    )
    import_job_read(job=job)  # as the worker leaves it: read, mapped, checked
    return {"code": job.code}


def _campaign(team):
    brand = BrandFactory(organization=team.organization)
    campaign = campaign_save(organization=team.organization, brand=brand, name=f"{MARKER} launch")
    return campaign


def _campaign_code(team):
    return {"code": _campaign(team).code}


def _goal(team):
    campaign = _campaign(team)
    goal = goal_save(
        campaign=campaign,
        metric="attributed_revenue",
        baseline=Decimal(0),
        target_kind="absolute",
        target_value=Decimal(20000),
        deadline=date.today() + timedelta(days=60),
    )
    return goal


def _goal_code(team):
    return {"code": _goal(team).code}


def _measurement_code(team):
    goal = _goal(team)
    return {
        "code": goal_measurement_record(goal=goal, measured_on=date.today(), value=Decimal(5)).code
    }


def _idea_code(team):
    idea = idea_save(campaign=_campaign(team), title=f"{MARKER} idea", campaign_type="giveaway")
    return {"code": idea.code}


IDEA_FORM = {"title": "Renamed idea", "campaign_type": "event"}


def _term_sheet_code(team):
    sheet = term_sheet_save(
        campaign=_campaign(team),
        name=f"{MARKER} ambassadors",
        compensation_model="product_only",
        product_value=Decimal(40),
    )
    return {"code": sheet.code}


def _shortlist_entry_code(team):
    influencer = InfluencerFactory(organization=team.organization, name=f"{MARKER} person")
    account = make_account(influencer, handle=f"{MARKER}_shortlisted")
    return {"code": shortlist_add(campaign=_campaign(team), account=account).code}


CHECKLIST_FORM = {"niche_fit": "on", "niche_fit_note": "Posts about skincare"}

TERMS_FORM = {
    "name": "Gifting wave",
    "compensation_model": "product_only",
    "product_value": "40",
    "deliverables": "1 story instagram",
    "influencers_planned": "10",
}

OBJECT_URLS: dict[str, ObjectCase] = {
    "campaigns-detail": ObjectCase(_campaign_code),
    "campaigns-goals": ObjectCase(_campaign_code),
    "campaigns-ideas": ObjectCase(_campaign_code),
    "campaigns-shortlist": ObjectCase(_campaign_code),
    "campaigns-terms": ObjectCase(_campaign_code),
    "campaigns-goal-edit": ObjectCase(
        _goal_code, reads=[], writes=[Request("GET"), Request("POST", {"metric": "reach"})]
    ),
    "campaigns-edit": ObjectCase(
        _campaign_code, reads=[], writes=[Request("POST", {"name": "Renamed", "status": "live"})]
    ),
    "campaigns-goal-create": ObjectCase(
        _campaign_code,
        reads=[],
        writes=[Request("POST", {"metric": "reach", "target_kind": "absolute"})],
    ),
    "campaigns-goal-delete": ObjectCase(
        _goal_code, reads=[], writes=[Request("GET"), Request("POST")]
    ),
    "campaigns-measurement-record": ObjectCase(
        _goal_code, reads=[], writes=[Request("POST", {"measured_on": "2026-01-01", "value": "1"})]
    ),
    "campaigns-measurement-delete": ObjectCase(
        _measurement_code, reads=[], writes=[Request("GET"), Request("POST")]
    ),
    "campaigns-idea-create": ObjectCase(
        _campaign_code, reads=[], writes=[Request("POST", IDEA_FORM)]
    ),
    "campaigns-idea-edit": ObjectCase(_idea_code, writes=[Request("POST", IDEA_FORM)]),
    "campaigns-idea-delete": ObjectCase(
        _idea_code, reads=[], writes=[Request("GET"), Request("POST")]
    ),
    "campaigns-idea-choose": ObjectCase(_idea_code, reads=[], writes=[Request("POST")]),
    "campaigns-idea-vote": ObjectCase(_idea_code, reads=[], writes=[Request("POST")]),
    "campaigns-idea-comment": ObjectCase(
        _idea_code, reads=[], writes=[Request("POST", {"text": "Nice"})]
    ),
    "campaigns-shortlist-search": ObjectCase(_campaign_code),
    # Access is checked before the account code is read: 404 for outsiders, 403 for managers.
    "campaigns-shortlist-add": ObjectCase(
        _campaign_code, reads=[], writes=[Request("POST", {"account": ""})]
    ),
    "campaigns-shortlist-decide": ObjectCase(
        _shortlist_entry_code,
        reads=[],
        writes=[Request("POST", {"status": "approved", "reason": "Fits the brief"})],
    ),
    "campaigns-shortlist-checklist": ObjectCase(
        _shortlist_entry_code, reads=[], writes=[Request("POST", CHECKLIST_FORM)]
    ),
    "campaigns-shortlist-remove": ObjectCase(
        _shortlist_entry_code, reads=[], writes=[Request("GET"), Request("POST")]
    ),
    "campaigns-terms-create": ObjectCase(
        _campaign_code, reads=[], writes=[Request("POST", TERMS_FORM)]
    ),
    "campaigns-terms-edit": ObjectCase(_term_sheet_code, writes=[Request("POST", TERMS_FORM)]),
    "campaigns-terms-delete": ObjectCase(
        _term_sheet_code, reads=[], writes=[Request("GET"), Request("POST")]
    ),
    "influencers-import-detail": ObjectCase(
        _import_job, writes=[Request("POST", {"platform": "platform", "handle": "handle"})]
    ),
    "influencers-import-run": ObjectCase(_import_job, reads=[], writes=[Request("POST")]),
    "influencers-detail": ObjectCase(_influencer),
    "influencers-edit": ObjectCase(
        _influencer, reads=[], writes=[Request("POST", {"name": "Renamed", "status": "partner"})]
    ),
    "influencers-archive": ObjectCase(_influencer, reads=[], writes=[Request("POST")]),
    "influencers-merge": ObjectCase(_influencer, reads=[], writes=[Request("POST", {"other": ""})]),
    "influencers-account-create": ObjectCase(
        _influencer,
        reads=[],
        writes=[
            Request(
                "POST",
                {"platform": "tiktok", "handle": "new", "engagement_formula": "followers"},
            )
        ],
    ),
    "influencers-account-edit": ObjectCase(
        _social_account,
        reads=[],
        writes=[
            Request(
                "POST",
                {"platform": "tiktok", "handle": "new", "engagement_formula": "followers"},
            )
        ],
    ),
    "influencers-account-delete": ObjectCase(_social_account, reads=[], writes=[Request("POST")]),
    "accounts-brand-edit": ObjectCase(
        _brand, writes=[Request("POST", {"name": "Renamed", "hashtags": ""})]
    ),
    "accounts-brand-delete": ObjectCase(_brand, reads=[], writes=[Request("POST")]),
    "accounts-member-role": ObjectCase(
        _member, reads=[], writes=[Request("POST", {"role": Role.OWNER})]
    ),
    "accounts-member-remove": ObjectCase(
        _member, reads=[], writes=[Request("GET"), Request("POST")]
    ),
    "accounts-invitation-revoke": ObjectCase(_invitation, reads=[], writes=[Request("POST")]),
    # A personal credential: its owner may revoke it whatever the role, so the manager's own
    # token is the case; the outsider still gets 404.
    "accounts-api-token-revoke": ObjectCase(_api_token, reads=[], writes=[Request("POST")]),
    "organisation-detail": ObjectCase(
        _organization,
        reads=[Request("GET", json=True)],
        writes=[Request("PATCH", {"name": "Renamed"}, json=True)],
    ),
    "brand-detail": ObjectCase(
        _brand,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", {"name": "Renamed"}, json=True),
            Request("PATCH", {"name": "Renamed"}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    "membership-detail": ObjectCase(
        _member,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PATCH", {"role": Role.OWNER}, json=True),
            Request("PUT", {"role": Role.OWNER}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    "influencers-benchmark-edit": ObjectCase(
        _benchmark, writes=[Request("POST", {"rate": "3.0", "source": "Edited", "year": 2024})]
    ),
    "influencers-benchmark-delete": ObjectCase(_benchmark, reads=[], writes=[Request("POST")]),
    "influencer-detail": ObjectCase(
        _influencer,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", {"name": "Renamed"}, json=True),
            Request("PATCH", {"name": "Renamed"}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    "social-account-detail": ObjectCase(
        _social_account,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", {"platform": "tiktok", "handle": "renamed"}, json=True),
            Request("PATCH", {"followers": 10}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    "tier-detail": ObjectCase(
        _tier,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", {"name": "Renamed", "lower": 1}, json=True),
            Request("PATCH", {"name": "Renamed"}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    "benchmark-detail": ObjectCase(
        _benchmark,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", {"platform": "tiktok", "rate": "2.0", "source": "x"}, json=True),
            Request("PATCH", {"rate": "2.0"}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    # Goals and measurements have no text of their own: they show their campaign's name.
    "campaign-detail": ObjectCase(
        _campaign_code,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", {"name": "Renamed"}, json=True),
            Request("PATCH", {"name": "Renamed"}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    "goal-detail": ObjectCase(
        _goal_code,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", {"metric": "reach", "target_value": "5"}, json=True),
            Request("PATCH", {"target_value": "30000"}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    "goal-measurement-detail": ObjectCase(
        _measurement_code,
        reads=[Request("GET", json=True)],
        writes=[Request("DELETE", json=True)],
    ),
    "idea-detail": ObjectCase(
        _idea_code,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", IDEA_FORM, json=True),
            Request("PATCH", {"title": "Renamed"}, json=True),
            Request("DELETE", json=True),
        ],
    ),
    "idea-vote": ObjectCase(_idea_code, reads=[], writes=[Request("POST", json=True)]),
    "idea-comment": ObjectCase(
        _idea_code, reads=[], writes=[Request("POST", {"text": "Nice"}, json=True)]
    ),
    "idea-choose": ObjectCase(
        _idea_code, reads=[], writes=[Request("POST", {"chosen": True}, json=True)]
    ),
    "shortlist-entry-detail": ObjectCase(
        _shortlist_entry_code,
        reads=[Request("GET", json=True)],
        writes=[Request("DELETE", json=True)],
    ),
    "shortlist-entry-decide": ObjectCase(
        _shortlist_entry_code,
        reads=[],
        writes=[Request("POST", {"status": "approved", "reason": "Fits the brief"}, json=True)],
    ),
    "shortlist-entry-checklist": ObjectCase(
        _shortlist_entry_code,
        reads=[],
        writes=[Request("POST", {"niche_fit": True, "niche_fit_note": "Skincare"}, json=True)],
    ),
    "term-sheet-detail": ObjectCase(
        _term_sheet_code,
        reads=[Request("GET", json=True)],
        writes=[
            Request("PUT", {"name": "Renamed", "compensation_model": "flat_fee"}, json=True),
            Request("PATCH", {"name": "Renamed"}, json=True),
            Request("DELETE", json=True),
        ],
    ),
}
MANAGER_MAY_WRITE = {
    "accounts-api-token-revoke": "the manager revokes their own token",
    "campaigns-idea-vote": "managers comment and vote",
    "campaigns-idea-comment": "managers comment and vote",
    "campaigns-shortlist-decide": "managers approve or reject: their review",
    "idea-vote": "managers comment and vote (REVIEW)",
    "idea-comment": "managers comment and vote (REVIEW)",
    "shortlist-entry-decide": "managers approve or reject: their review (REVIEW)",
}

# Writes that name no object: a manager gets 403 and nothing changes.
PLAIN_WRITES: dict[str, Request] = {
    "campaigns-create": Request("POST", {"name": "New campaign", "status": "planning"}),
    "influencers-import": Request(
        "POST", {"file": ContentFile(b"platform,handle\ninstagram,x\n", name="roster.csv")}
    ),
    "influencers-create": Request("POST", {"name": "New person", "status": "prospect"}),
    "influencers-bulk": Request("POST", {"action": "status", "status": "partner"}),
    "accounts-brand-create": Request("POST", {"name": "New brand", "hashtags": ""}),
    "accounts-members": Request("POST", {"email": "new@example.com", "role": Role.MARKETER}),
    "accounts-settings": Request("POST", {"name": "Renamed"}),
    "brand-list": Request("POST", {"name": "New brand"}, json=True),
    "influencers-tier-scheme": Request("POST", {"scheme": "hypeauditor-2023"}),
    "influencers-tiers-save": Request(
        "POST",
        {
            "tiers-TOTAL_FORMS": "1",
            "tiers-INITIAL_FORMS": "0",
            "tiers-0-name": "all",
            "tiers-0-lower": "0",
            "tiers-0-cost_currency": "USD",
        },
    ),
    "influencers-engagement-options": Request("POST", {"include_saves": "on"}),
    "influencers-benchmark-create": Request(
        "POST", {"platform": "other", "formula": "followers", "rate": "2", "source": "x"}
    ),
    "influencer-list": Request("POST", {"name": "New person"}, json=True),
    "social-account-list": Request("POST", {"platform": "instagram", "handle": "new"}, json=True),
    "tier-list": Request("POST", {"name": "giga", "lower": 3_000_000}, json=True),
    "benchmark-list": Request(
        "POST", {"platform": "other", "formula": "followers", "rate": "2", "source": "x"}, json=True
    ),
    "campaign-list": Request("POST", {"name": "New campaign"}, json=True),
    "goal-list": Request("POST", {"metric": "reach", "target_kind": "absolute"}, json=True),
    "goal-measurement-list": Request(
        "POST", {"measured_on": "2026-01-01", "value": "1"}, json=True
    ),
    "idea-list": Request("POST", IDEA_FORM, json=True),
    "shortlist-entry-list": Request("POST", {"account": ""}, json=True),
    "term-sheet-list": Request("POST", {"name": "Gifting wave"}, json=True),
}

# Pages without an object id that a member reads: the outsider's view never shows markers.
READ_PAGES = [
    "influencers-import",
    "influencers-export",
    "home",
    "accounts-brands",
    "accounts-members",
    "accounts-settings",
    "accounts-api-tokens",
    "accounts-onboarding",
    "campaigns-index",
    "influencers-index",
    "outreach-index",
    "metrics-index",
    "api-root",
    "organisation-list",
    "brand-list",
    "membership-list",
    "influencers-settings",
    "influencer-list",
    "social-account-list",
    "tier-list",
    "benchmark-list",
    "campaign-list",
    "goal-list",
    "goal-measurement-list",
    "idea-list",
    "shortlist-entry-list",
    "term-sheet-list",
]

EXEMPT = {
    "healthz": "liveness probe for the container runtime; shows no data",
    "api-schema": "the OpenAPI description; shows no data",
    "api-docs": "Swagger UI page; shows no data",
    "api-not-found": "the API's JSON 404 for any path no resource answers; shows no data",
    "accounts-switch": "changes only the session; a non-member's organisation is 404 (test_switch)",
    "accounts-invitation": "a secret single-use link meant for a non-member (test_invitations)",
}
EXEMPT_PREFIXES = {
    "admin/": "Django admin, for operators (staff) only",
    "accounts/": "allauth: the signed-in user’s own login, email, password; no organisation data",
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def product_url_names():
    names = set()
    for route, name in _walk(get_resolver().url_patterns):
        if any(route.startswith(exempt) for exempt in EXEMPT_PREFIXES):
            continue
        names.add(name)
    return names


def snapshot():
    """Every row of every product model: equal snapshots mean nothing changed."""
    rows = {}
    for label in PRODUCT_APPS:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def tenancy_mismatches() -> dict[str, int]:
    """Relations with rows pointing at another organisation's row (`manage.py tenancy_check`)."""
    return {
        check.relation: check.count for check in tenancy_check_all_organisations() if check.count
    }


def _client(team, who):
    return team.client_for(getattr(team, who))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_other_organisation_gets_404_and_sees_nothing(team, name):
    case = OBJECT_URLS[name]
    url = reverse(name, kwargs=case.build(team))
    client = _client(team, "outsider")
    before = snapshot()
    for request in case.reads + case.writes:
        response = request.send(client, url)
        assert response.status_code == 404, (name, request.method)
        assert MARKER not in response.content.decode(), (name, request.method)
    assert snapshot() == before
    assert tenancy_mismatches() == {}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(OBJECT_URLS) - set(MANAGER_MAY_WRITE)))
def test_manager_gets_403_on_every_write_and_nothing_changes(team, name):
    case = OBJECT_URLS[name]
    url = reverse(name, kwargs=case.build(team))
    client = _client(team, "manager")
    before = snapshot()
    for request in case.writes:
        assert request.send(client, url).status_code == 403, (name, request.method)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name, case in OBJECT_URLS.items() if case.reads))
def test_member_reads_the_object(team, name):
    case = OBJECT_URLS[name]
    url = reverse(name, kwargs=case.build(team))
    client = _client(team, case.reader)
    for request in case.reads:
        response = request.send(client, url)
        assert response.status_code == 200, (name, request.method)
        assert MARKER in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PLAIN_WRITES))
def test_manager_gets_403_on_plain_writes_and_nothing_changes(team, name):
    client = _client(team, "manager")
    before = snapshot()
    response = PLAIN_WRITES[name].send(client, reverse(name))
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", READ_PAGES)
def test_pages_never_show_another_organisations_rows(team, name):
    for build in {case.build for case in OBJECT_URLS.values()}:
        build(team)
    response = _client(team, "outsider").get(reverse(name))
    assert response.status_code == 200
    assert MARKER not in response.content.decode()
    # The same page shows them to a member, so the check above is not vacuous where the
    # page lists rows.
    assert _client(team, "owner").get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_the_tenancy_check_finds_no_mismatch_after_the_sweep_builds_every_object(team):
    for build in {case.build for case in OBJECT_URLS.values()}:
        build(team)
    out = StringIO()
    call_command("tenancy_check", stdout=out)
    assert "campaigns.ShortlistEntry.account -> influencers.SocialAccount: 0 mismatches" in (
        out.getvalue()
    )
    assert out.getvalue().strip().endswith("relations: 0 mismatches.")


def test_every_url_pattern_is_covered_or_exempt_with_a_reason():
    covered = set(OBJECT_URLS) | set(PLAIN_WRITES) | set(READ_PAGES) | set(EXEMPT)
    missing = product_url_names() - covered
    assert not missing, f"Add these URL names to tests/test_isolation.py: {sorted(missing)}"
    stale = covered - product_url_names()
    assert not stale, f"These names no longer exist: {sorted(stale)}"
