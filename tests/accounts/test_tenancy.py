"""Tenancy fails closed: outside an organisation's scope a query on its rows raises; inside,
it sees that organisation's rows only, in requests, API calls and tasks alike.

The suite's own set-up runs with scopes disabled (tests/conftest.py); every test here that
means "outside any scope" says so with `scope()`, which re-enables scoping with no
organisation, as every request starts (accounts.tenancy.TenancyScopeMiddleware).
"""

from datetime import date
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django_scopes import ScopeError, scope

from accounts.api.fields import OrganizationCodeField
from accounts.api.viewsets import OrganizationScopedMixin
from accounts.forms import OrganizationRowChoiceField
from accounts.models import Brand, BrandHandle, Membership
from accounts.tasks import OrganizationTask
from accounts.tenancy import TenancyScopeMiddleware, member_required, organization_owned_models
from campaigns.forms import GoalForm, ShortlistAddForm
from campaigns.models import Campaign, Goal
from config.celery import app as celery_app
from tests.config.test_worker import _wait_for, real_worker  # noqa: F401 (a fixture)
from tests.factories import BrandFactory, InfluencerFactory, UserFactory, make_account


def _brands(team):
    mine = BrandFactory(organization=team.organization, name="Mine")
    theirs = BrandFactory(organization=team.outsider.organization, name="Theirs")
    return mine, theirs


def _names(rows):
    return sorted(row.name for row in rows)


@pytest.mark.django_db
def test_a_query_outside_any_scope_raises_for_every_organisation_owned_model():
    with scope():
        for model in organization_owned_models():
            if model is Membership:
                continue  # found by user before the organisation is known (see the model)
            with pytest.raises(ScopeError):
                list(model.objects.all())
            with pytest.raises(ScopeError):
                model.objects.filter(pk=1).exists()


@pytest.mark.django_db
def test_inside_an_organisations_scope_a_query_without_a_filter_sees_its_rows_only(team):
    _brands(team)
    with scope(organization=team.organization):
        assert _names(Brand.objects.all()) == ["Mine"]
    with scope(organization=team.outsider.organization):
        assert _names(Brand.objects.all()) == ["Theirs"]


def _request(who, path="/"):
    request = RequestFactory().get(path)
    request.user = who.user
    request.session = SessionStore()
    return request


def _every_brand(request):
    # A view that forgot `organization=`.
    return HttpResponse(", ".join(_names(Brand.objects.all())))


@pytest.mark.django_db
def test_a_view_that_forgets_its_organisation_filter_sees_only_its_members_rows(team):
    _brands(team)
    view = TenancyScopeMiddleware(member_required(_every_brand))
    assert view(_request(team.marketer)).content.decode() == "Mine"
    assert view(_request(team.outsider)).content.decode() == "Theirs"


@pytest.mark.django_db
def test_code_a_request_runs_outside_a_member_view_raises_instead_of_answering(team):
    _brands(team)
    with pytest.raises(ScopeError):
        TenancyScopeMiddleware(_every_brand)(_request(team.marketer))


@pytest.mark.django_db
def test_a_page_whose_selector_forgets_the_filter_still_shows_only_the_members_brands(
    team, monkeypatch
):
    _brands(team)
    monkeypatch.setattr(
        "accounts.selectors.brand_list", lambda organization: Brand.objects.order_by("name")
    )
    page = team.client_for(team.marketer).get(reverse("accounts-brands")).content.decode()
    assert "Mine" in page and "Theirs" not in page


@pytest.mark.django_db
def test_an_api_list_that_forgets_the_filter_still_lists_only_the_callers_rows(team, monkeypatch):
    _brands(team)
    monkeypatch.setattr(OrganizationScopedMixin, "get_queryset", lambda self: self.base_queryset())
    body = team.client_for(team.outsider).get("/api/v1/brands/").json()
    assert [brand["name"] for brand in body["results"]] == ["Theirs"]


# Tasks: what a task sees, recorded by the task itself (the worker runs in this process).
SEEN = {}


@celery_app.task(base=OrganizationTask, name="tests.brands_seen")
def brands_seen(organization_id: int, key: str) -> None:
    SEEN[key] = _names(Brand.objects.all())


@celery_app.task(name="tests.brands_seen_unscoped")
def brands_seen_unscoped(key: str) -> None:
    try:
        SEEN[key] = _names(Brand.objects.all())
    except ScopeError:
        SEEN[key] = "refused"


@pytest.mark.django_db
def test_a_task_runs_in_the_scope_of_the_organisation_it_acts_for(team):
    _brands(team)
    with scope():  # started outside any scope, as from a request of nobody's
        brands_seen.delay(team.organization.pk, "eager")
        brands_seen(team.outsider.organization.pk, "called")
    assert SEEN["eager"] == ["Mine"] and SEEN["called"] == ["Theirs"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("real_worker")
def test_a_real_worker_runs_each_task_in_its_organisations_scope_and_others_in_none(team):
    _brands(team)
    SEEN.clear()
    with celery_app.connection_for_write() as broker:
        brands_seen.apply_async((team.outsider.organization.pk, "worker"), connection=broker)
        brands_seen_unscoped.apply_async(("worker-unscoped",), connection=broker)
    assert _wait_for(lambda: {"worker", "worker-unscoped"} <= set(SEEN)), "no worker ran them"
    assert SEEN == {"worker": ["Theirs"], "worker-unscoped": "refused"}


def _accounts(team):
    mine = make_account(InfluencerFactory(organization=team.organization), handle="mine")
    theirs = make_account(
        InfluencerFactory(organization=team.outsider.organization), handle="theirs"
    )
    return mine, theirs


@pytest.mark.django_db
def test_a_form_refuses_another_organisations_row_as_a_made_up_one(team):
    mine, theirs = _accounts(team)
    with scope(organization=team.organization):
        errors = {
            code: ShortlistAddForm({"account": code}).errors.get("account")
            for code in [str(theirs.code), "c0ffee00-0000-4000-8000-000000000000", "x"]
        }
        assert set(map(tuple, errors.values())) == {
            ("Choose an account from your organisation's directory.",)
        }
        form = ShortlistAddForm({"account": str(mine.code)})
        assert form.is_valid() and form.cleaned_data["account"] == mine


@pytest.mark.django_db
def test_a_form_may_narrow_its_choices_but_never_to_another_organisation(team):
    mine, theirs = _brands(team)
    my_handle = BrandHandle.objects.create(
        organization=team.organization, brand=mine, platform="instagram", handle="mine"
    )
    their_handle = BrandHandle.objects.create(
        organization=team.outsider.organization, brand=theirs, platform="instagram", handle="x"
    )
    campaign = Campaign.objects.create(organization=team.organization, brand=mine, name="C")
    with scope(organization=team.organization):
        form = GoalForm(campaign=campaign)
        form.fields["brand_handle"].queryset = BrandHandle.objects.with_scopes_disabled().all()
        assert list(form.fields["brand_handle"].queryset) == [my_handle]
        assert their_handle.code  # the other organisation's handle exists, and is not offered


@pytest.mark.django_db
def test_a_form_made_outside_any_scope_raises():
    with scope(), pytest.raises(ScopeError):
        ShortlistAddForm()
    field = OrganizationRowChoiceField(Brand)
    assert field.queryset is None  # made with its form class: no rows until a form is made


@pytest.mark.django_db
def test_a_serializer_refuses_another_organisations_row_as_a_made_up_one(team):
    from rest_framework.exceptions import ValidationError

    mine, theirs = _brands(team)
    field = OrganizationCodeField(Brand, "brand")
    field.bind("brand", None)
    field._context = {"membership": team.marketer}
    with scope(organization=team.organization):
        assert field.to_internal_value(str(mine.code)) == mine
        for code in [str(theirs.code), "c0ffee00-0000-4000-8000-000000000000"]:
            with pytest.raises(ValidationError) as refused:
                field.to_internal_value(code)
            assert refused.value.detail == ["Unknown brand."]


def _goal(organization, campaign) -> Goal:
    return Goal.objects.create(
        organization=organization,
        campaign=campaign,
        metric="conversions",
        baseline=0,
        target_kind="absolute",
        target_value=100,
        deadline=date(2030, 1, 1),
    )


def _tenancy_check() -> str:
    out = StringIO()
    call_command("tenancy_check", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_tenancy_check_finds_no_mismatch_in_the_seeded_demo():
    with scope():  # the commands opt out themselves
        call_command("seed_demo", stdout=StringIO())
        output = _tenancy_check()
    assert Goal.objects.exists()  # the demo has rows in the relations checked
    assert "campaigns.Goal.campaign -> campaigns.Campaign: 0 mismatches" in output
    assert "campaigns.ShortlistEntry.account -> influencers.SocialAccount: 0 mismatches" in output
    assert "influencers.Influencer.niches <-> influencers.Niche: 0 mismatches" in output
    assert output.strip().endswith("relations: 0 mismatches.")


@pytest.mark.django_db
def test_the_tenancy_check_reports_a_goal_of_another_organisations_campaign(team):
    theirs = Campaign.objects.create(
        organization=team.outsider.organization,
        brand=BrandFactory(organization=team.outsider.organization),
        name="Theirs",
    )
    goal = _goal(team.organization, theirs)
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("tenancy_check", stdout=out)
    assert failed.value.returncode == 1
    assert str(failed.value).endswith("1 mismatches.")
    assert f"campaigns.Goal.campaign -> campaigns.Campaign: 1 mismatches\n  {goal.code}" in (
        out.getvalue()
    )


@pytest.fixture
def staff_client(db):
    staff = UserFactory(email="admin@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    return client


def _two_campaigns(team):
    mine, theirs = _brands(team)
    return (
        Campaign.objects.create(organization=team.organization, brand=mine, name="Ours"),
        Campaign.objects.create(organization=team.outsider.organization, brand=theirs, name="X"),
    )


@pytest.mark.django_db
def test_the_admin_lists_every_organisations_rows(staff_client, team):
    _two_campaigns(team)
    page = staff_client.get(reverse("admin:campaigns_campaign_changelist")).content.decode()
    assert "Ours" in page and "X</a>" in page


@pytest.mark.django_db
def test_the_admin_refuses_a_new_row_pointing_at_another_organisations_parent(staff_client, team):
    ours, theirs = _two_campaigns(team)
    form = {
        "organization": team.organization.pk,
        "metric": "conversions",
        "baseline": "0",
        "target_kind": "absolute",
        "target_value": "100",
        "deadline": "2030-01-01",
        "measurements-TOTAL_FORMS": "0",
        "measurements-INITIAL_FORMS": "0",
    }
    url = reverse("admin:campaigns_goal_add")
    refused = staff_client.post(url, {**form, "campaign": theirs.pk})
    assert refused.status_code == 200
    assert "Choose one of the same organisation." in refused.content.decode()
    assert not Goal.objects.exists()
    saved = staff_client.post(url, {**form, "campaign": ours.pk})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert Goal.objects.get().campaign == ours


@pytest.mark.django_db
def test_the_admin_shows_a_saved_rows_organisation_and_parents_read_only(staff_client, team):
    ours, _ = _two_campaigns(team)
    goal = _goal(team.organization, ours)
    page = staff_client.get(reverse("admin:campaigns_goal_change", args=[goal.pk]))
    fields = page.context["adminform"].form.fields
    assert "metric" in fields
    assert "organization" not in fields and "campaign" not in fields
