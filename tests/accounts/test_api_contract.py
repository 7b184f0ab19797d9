"""The API's contract: what the schema declares is what the server does, errors included.

One test per way the schema and the server disagreed; schemathesis checks the rest against a
live server in CI (tests/api_contract/run.py).
"""

import json
import re
from decimal import Decimal

import pytest
import yaml
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.api.views import BrandViewSet
from accounts.models import Brand
from campaigns import services as campaigns
from campaigns.models import Idea, IdeaComment
from influencers import services as influencers
from tests.api import Api, api_errors
from tests.campaigns.test_api import make_goal
from tests.concurrency import while_another_waits
from tests.factories import InfluencerFactory

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def schema(client):
    return yaml.safe_load(client.get("/api/schema/").content)


def _brand_with_campaign(team):
    from accounts.services import brand_save

    brand = brand_save(organization=team.organization, name="Glow", handles={"instagram": "glow"})
    campaign = campaigns.campaign_save(organization=team.organization, brand=brand, name="Spring")
    return brand, campaign


def _follower_goal(campaign):
    """A goal counting the followers of the campaign brand's Instagram handle."""
    return make_goal(
        campaign,
        metric="follower_growth",
        brand_handle=campaign.brand.handles.get(),
        baseline=Decimal(1000),
        target_kind="percent",
        target_value=Decimal(30),
    )


# --- Conflicts are 409s that name what is in the way ------------------------------------------


@pytest.mark.django_db
def test_deleting_a_brand_its_campaigns_use_is_a_409_naming_them(team):
    brand, _ = _brand_with_campaign(team)
    response = Api(team.marketer).send("delete", f"/api/v1/brands/{brand.code}/")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    assert api_errors(response) == {
        "non_field_errors": ["Glow is still used by 1 campaign (“Spring”): delete those first."]
    }
    assert Brand.objects.filter(pk=brand.pk).exists()


@pytest.mark.django_db
def test_deleting_a_brand_its_campaigns_use_says_why_on_the_screen_too(team, marketer_client):
    brand, _ = _brand_with_campaign(team)
    response = marketer_client.post(
        reverse("accounts-brand-delete", args=[brand.code]), follow=True
    )
    assert response.status_code == 200
    assert "Glow is still used by 1 campaign (“Spring”)" in response.content.decode()
    assert Brand.objects.filter(pk=brand.pk).exists()


@pytest.mark.django_db
def test_removing_a_handle_that_goals_count_is_a_409(team):
    brand, campaign = _brand_with_campaign(team)
    _follower_goal(campaign)
    response = Api(team.marketer).send(
        "patch", f"/api/v1/brands/{brand.code}/", {"handles": {"instagram": ""}}
    )
    assert response.status_code == 409
    assert "@glow is still used by 1 goal" in api_errors(response)["handles"][0]
    assert brand.handles.count() == 1


@pytest.mark.django_db
def test_a_duplicate_brand_name_is_a_409(team):
    Brand.objects.create(organization=team.organization, name="Glow")
    response = Api(team.marketer).send("post", "/api/v1/brands/", {"name": "GLOW"})
    assert response.status_code == 409
    assert api_errors(response) == {"name": ["Another brand in this organisation has this name."]}


# --- Responses match their schema ---------------------------------------------------------------


@pytest.mark.django_db
def test_an_account_without_tier_or_benchmark_says_so_with_nulls(team, schema):
    person = InfluencerFactory(organization=team.organization)
    account = influencers.social_account_save(
        influencer=person, source="manual", platform="other", handle="no_numbers"
    )
    assert account.tier is None and account.benchmark is None
    shown = Api(team.marketer).get(f"/api/v1/social-accounts/{account.code}/").json()
    fields = ["tier", "tier_range", "benchmark_rate", "benchmark_source", "benchmark_year"]
    assert {name: shown[name] for name in fields} == dict.fromkeys(fields)
    declared = schema["components"]["schemas"]["SocialAccount"]
    assert all(declared["properties"][name]["nullable"] for name in fields)
    assert set(fields) <= set(declared["required"])


@pytest.mark.django_db
def test_a_benchmark_without_a_year_is_sent_as_null(team):
    person = InfluencerFactory(organization=team.organization)
    account = influencers.social_account_save(
        influencer=person,
        source="manual",
        platform="instagram",
        handle="ana",
        followers=4000,
        avg_likes=Decimal(554),
        avg_comments=Decimal(40),
    )
    assert account.benchmark.year is None  # the product's own micro benchmark
    shown = Api(team.marketer).get(f"/api/v1/social-accounts/{account.code}/").json()
    assert shown["benchmark_year"] is None and shown["benchmark_rate"] == "6.000"


# --- Input is taken as the schema declares it, or refused with a 400 ------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("text", [None, {"a": 1}, ["Nice"], 5, "", "   "])
def test_a_comment_is_text_and_nothing_else(team, text):
    idea = campaigns.idea_save(
        campaign=_brand_with_campaign(team)[1], title="Giveaway", campaign_type="giveaway"
    )
    response = Api(team.manager).send("post", f"/api/v1/ideas/{idea.code}/comment/", {"text": text})
    assert response.status_code == 400
    assert "text" in api_errors(response)
    assert not IdeaComment.objects.exists()


@pytest.mark.django_db
def test_only_json_is_read(team):
    idea = campaigns.idea_save(
        campaign=_brand_with_campaign(team)[1], title="Giveaway", campaign_type="giveaway"
    )
    api = Api(team.marketer)
    idea.chosen = True
    idea.save()
    # A form without "chosen" used to read as "un-choose"; a brand's handles were dropped.
    response = api.client.post(f"/api/v1/ideas/{idea.code}/choose/", {})
    assert response.status_code == 415
    response = api.client.post("/api/v1/brands/", {"name": "New", "handles": "{}"})
    assert response.status_code == 415
    idea.refresh_from_db()
    assert idea.chosen and not Brand.objects.filter(name="New").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", [None, "true", 1, "yes"])
def test_choosing_an_idea_takes_true_or_false_only(team, chosen):
    idea = campaigns.idea_save(
        campaign=_brand_with_campaign(team)[1], title="Giveaway", campaign_type="giveaway"
    )
    data = {} if chosen is None else {"chosen": chosen}
    response = Api(team.marketer).send("post", f"/api/v1/ideas/{idea.code}/choose/", data)
    assert response.status_code == 400
    assert not Idea.objects.get().chosen


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 5),  # text only
        ("budget_amount", 100),  # an amount is sent as text
        ("budget_amount", "1e3"),
        ("budget_amount", "-5"),
        ("budget_amount", " 5"),
        ("start_date", "20260101"),
        ("start_date", 20260101),
        ("budget_currency", "EURO"),
    ],
)
def test_a_value_the_schema_refuses_is_refused(team, field, value):
    brand, _ = _brand_with_campaign(team)
    data = {"brand": str(brand.code), "name": "Summer", field: value}
    response = Api(team.marketer).send("post", "/api/v1/campaigns/", data)
    assert response.status_code == 400, response.content
    assert field in api_errors(response)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "0", "-1", "abc", "1.5", "1&page=1"])
def test_a_page_is_one_whole_number_from_1(team, page):
    response = Api(team.marketer).get(f"/api/v1/brands/?page={page}")
    assert response.status_code == 400
    assert "page" in api_errors(response)


@pytest.mark.django_db
def test_a_page_past_the_end_is_a_json_404(team):
    response = Api(team.marketer).get("/api/v1/brands/?page=9")
    assert response.status_code == 404 and response.json()["type"] == "client_error"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "nope", "{12345678-1234-1234-1234-123456789012}"])
def test_a_code_filter_is_a_uuid(team, value):
    response = Api(team.marketer).get(f"/api/v1/ideas/?campaign={value}")
    assert response.status_code == 400 and "campaign" in api_errors(response)


# --- The schema says every rule it can ---------------------------------------------------------


def test_the_schema_refuses_what_the_server_refuses(schema):
    components = schema["components"]["schemas"]
    campaign = components["CampaignRequest"]["properties"]
    assert campaign["budget_amount"]["pattern"] == r"^[0-9]{1,10}(\.[0-9]{1,2})?$"  # no "-"
    handles = components["BrandRequest"]["properties"]["handles"]
    assert handles["additionalProperties"] is False
    assert set(handles["properties"]) == {"instagram", "tiktok", "youtube", "other"}
    assert handles["properties"]["instagram"]["pattern"] == r"^(@?[\w.-]+)?$"
    assert components["SocialAccountRequest"]["properties"]["handle"]["pattern"] == r"^@?[\w.-]+$"
    ideas = schema["paths"]["/api/v1/ideas/"]["get"]["parameters"]
    campaign_filter = next(p for p in ideas if p["name"] == "campaign")
    assert campaign_filter["schema"] == {"type": "string", "format": "uuid"}
    page = next(p for p in ideas if p["name"] == "page")
    assert page["schema"]["minimum"] == 1


def test_every_operation_documents_its_errors_in_one_shape(schema):
    operations = [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) > 70
    for method, path, operation in operations:
        codes = set(operation["responses"])
        assert {"400", "401", "403", "404", "500"} <= codes, (method, path)
        if method in WRITES:
            assert {"409", "422"} <= codes, (method, path)
        bad_request = operation["responses"]["400"]["content"]["application/json"]["schema"]
        assert bad_request == {"$ref": "#/components/schemas/BadRequest"}, (method, path)
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "detail", "attr"}


# --- Every error under /api/ is JSON -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/shortlist/0.5/checklist/", "/api/v1/nothing/", "/api/v2/", "/api/"]
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_address_no_resource_answers_is_a_json_404(team, path, method):
    response = getattr(Api(team.marketer).client, method)(path)
    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {"code": "not_found", "detail": "No API resource has this address.", "attr": None}
        ],
    }


@pytest.mark.django_db
def test_an_unexpected_error_is_a_json_500(team, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(BrandViewSet, "list", broken)
    api = Api(team.marketer)
    api.client.raise_request_exception = False
    response = api.get("/api/v1/brands/")
    assert response.status_code == 500
    assert response.json()["type"] == "server_error"
    assert "a bug" not in response.content.decode()


# --- Writes and deletes at the same moment --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_write_never_brings_back_a_row_deleted_at_the_same_moment(team):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks, which SQLite does not have")
    brand = Brand.objects.create(organization=team.organization, name="Glow")
    api = Api(team.marketer)
    deleting = while_another_waits(Brand.objects.filter(pk=brand.pk).delete)
    response = api.send("patch", f"/api/v1/brands/{brand.code}/", {"name": "Glow two"})
    deleting.join()
    assert response.status_code == 404
    assert not Brand.objects.filter(code=brand.code).exists()


@pytest.mark.django_db(transaction=True)
def test_two_creates_of_one_name_at_the_same_moment_are_a_201_and_a_409(team):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions, which SQLite serialises")
    api = Api(team.marketer)
    creating = while_another_waits(
        lambda: Brand.objects.create(organization=team.organization, name="Race")
    )
    response = api.send("post", "/api/v1/brands/", {"name": "Race"})
    creating.join()
    assert response.status_code == 409
    assert "at the same moment" in api_errors(response)["non_field_errors"][0]
    assert Brand.objects.filter(name="Race").count() == 1


@pytest.mark.django_db
def test_an_error_after_a_write_undoes_the_write(team, monkeypatch):
    idea = campaigns.idea_save(
        campaign=_brand_with_campaign(team)[1], title="Giveaway", campaign_type="giveaway"
    )
    chose = campaigns.idea_choose

    def choose_then_fail(**kwargs):
        chose(**kwargs)
        raise RuntimeError("a bug after the write")

    monkeypatch.setattr(campaigns, "idea_choose", choose_then_fail)
    api = Api(team.marketer)
    api.client.raise_request_exception = False
    response = api.send("post", f"/api/v1/ideas/{idea.code}/choose/", {"chosen": True})
    assert response.status_code == 500
    idea.refresh_from_db()
    assert not idea.chosen


@pytest.mark.django_db
def test_a_body_too_large_to_read_is_a_400(team, settings):
    response = Api(team.marketer).send("post", "/api/v1/brands/", {"name": "x" * 3_000_000})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_large"
    assert not Brand.objects.exists()


@pytest.mark.django_db
def test_a_second_measurement_of_a_day_replaces_the_first(team):
    campaign = _brand_with_campaign(team)[1]
    goal = make_goal(campaign)
    api = Api(team.marketer)
    day = {"goal": str(goal.code), "measured_on": str(timezone.localdate())}
    assert api.send("post", "/api/v1/goal-measurements/", {**day, "value": "10"}).status_code == 201
    assert api.send("post", "/api/v1/goal-measurements/", {**day, "value": "25"}).status_code == 201
    assert [m.value for m in goal.measurements.all()] == [Decimal(25)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("budget_amount", "１２"), ("start_date", "٢٠٢٦-٠١-٠١"), ("name", "\x1c")],
)
def test_what_javascript_and_python_read_differently_is_refused_by_both(team, field, value):
    brand, _ = _brand_with_campaign(team)
    data = {"brand": str(brand.code), "name": "Summer", field: value}
    response = Api(team.marketer).send("post", "/api/v1/campaigns/", data)
    assert response.status_code == 400, response.content


@pytest.mark.django_db
def test_a_byte_order_mark_is_text_to_the_schema_and_to_the_server(team, schema):
    pattern = schema["components"]["schemas"]["BrandRequest"]["properties"]["name"]["pattern"]
    assert re.search(pattern, "\ufeff") and not re.search(pattern, "\x1c")
    response = Api(team.marketer).send("post", "/api/v1/brands/", {"name": "\ufeff"})
    assert response.status_code == 201


@pytest.mark.django_db
def test_a_page_number_of_thousands_of_digits_is_a_400(team):
    response = Api(team.marketer).get(f"/api/v1/brands/?page={'9' * 5000}")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "code"), [("   ", "blank"), ("x" * 121, "max_length")])
def test_a_refused_text_keeps_its_error_code(team, value, code):
    response = Api(team.marketer).send("post", "/api/v1/brands/", {"name": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code


@pytest.mark.django_db
def test_errors_outside_the_apis_views_are_json_too(rf):
    from config.urls import bad_request, server_error

    assert server_error(rf.get("/api/v1/brands/")).status_code == 500
    assert json.loads(server_error(rf.get("/api/v1/brands/")).content)["type"] == "server_error"
    refused = bad_request(rf.get("/api/v1/brands/"), None)
    assert refused.status_code == 400 and json.loads(refused.content)["type"] == "client_error"
    assert "<html" in server_error(rf.get("/campaigns/")).content.decode().lower()


@pytest.mark.django_db
def test_a_delete_kept_by_several_kinds_of_rows_names_each_kind(team):
    brand, campaign = _brand_with_campaign(team)
    _follower_goal(campaign)
    response = Api(team.marketer).send("delete", f"/api/v1/brands/{brand.code}/")
    assert response.status_code == 409
    message = api_errors(response)["non_field_errors"][0]
    assert "1 campaign (“Spring”)" in message and "1 goal (" in message
