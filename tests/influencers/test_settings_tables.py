"""Settings: the tier table, benchmarks and engagement options, read by all, changed by owners."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts import services as account_services
from influencers import selectors, services
from influencers.defaults import PRODUCT_SOURCE, SCHEMES
from influencers.models import Benchmark, DataSource, FollowerTier, SocialAccount
from tests.api import api_errors

SETTINGS = reverse("influencers-settings")


def make_account(organization, handle="ana", **numbers):
    """The worked example by default: 4,000 followers, 554 likes and 40 comments per post."""
    influencer = services.influencer_save(organization=organization, name=f"Person {handle}")
    fields = {
        "platform": "instagram",
        "handle": handle,
        "followers": 4000,
        "avg_likes": Decimal("554"),
        "avg_comments": Decimal("40"),
        **numbers,
    }
    return services.social_account_save(influencer=influencer, source=DataSource.MANUAL, **fields)


def tier_table(organization):
    return list(
        FollowerTier.objects.filter(organization=organization)
        .order_by("lower")
        .values("code", "name", "lower", "upper", "cost_min", "cost_max", "cost_source")
    )


def tier_post(organization, change=None, extra_rows=(), delete=()):
    """The tier formset's POST data for the current table, with `change` {name: {field: v}}."""
    tiers = FollowerTier.objects.filter(organization=organization).order_by("lower")
    rows = []
    for tier in tiers:
        row = {
            "code": str(tier.code),
            "name": tier.name,
            "lower": tier.lower,
            "upper": "" if tier.upper is None else tier.upper,
            "cost_min": tier.cost_min or "",
            "cost_max": tier.cost_max or "",
            "cost_currency": tier.cost_currency,
            "cost_source": tier.cost_source,
        }
        row.update((change or {}).get(tier.name, {}))
        if tier.name in delete:
            row["DELETE"] = "on"
        rows.append(row)
    rows.extend(extra_rows)
    data = {"tiers-TOTAL_FORMS": str(len(rows)), "tiers-INITIAL_FORMS": str(len(tiers))}
    for index, row in enumerate(rows):
        data |= {f"tiers-{index}-{field}": value for field, value in row.items()}
    return data


def form_errors(response, index):
    return response.context["tier_formset"].forms[index].errors


# --- Reading ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_organisation_reads_the_default_tiers_and_benchmarks(owner_client, team):
    page = owner_client.get(SETTINGS).content.decode()
    micro = FollowerTier.objects.get(organization=team.organization, name="micro")
    assert (micro.lower, micro.upper) == (1_000, 10_000)
    assert (micro.cost_min, micro.cost_max, micro.cost_source) == (150, 500, PRODUCT_SOURCE)
    assert "1,000–10,000" in page and "USD 150–500" in page and escape(PRODUCT_SOURCE) in page
    instagram_micro = Benchmark.objects.get(
        organization=team.organization, platform="instagram", tier=micro, formula="followers"
    )
    assert instagram_micro.rate == Decimal("6.0")
    assert "6.0%" in page and "10.58%" in page  # as published, not 6 or 10.6
    assert SCHEMES["product"].name in page
    # Tiers without a published cost, and cells without a benchmark, say so.
    assert page.count("no published figure") >= 4 + 1  # four tiers without cost, TikTok nano
    assert "USD 0" not in page


@pytest.mark.django_db
def test_rates_and_bands_are_written_one_way_everywhere(owner_client, team):
    # The settings screens use the `percent` filter and FollowerTier.range_label, the same
    # definitions as the directory and the profile, instead of copies of their own.
    from influencers.views import tables

    assert not hasattr(tables, "percent")
    mega = FollowerTier.objects.get(organization=team.organization, name="mega")
    row = {"name": "mega", "lower": mega.lower, "upper": None}
    assert services._tier_row_label(row) == f"mega ({mega.range_label})"
    benchmark = Benchmark.objects.filter(organization=team.organization, rate=Decimal("10.58"))
    url = reverse("influencers-benchmark-edit", args=[benchmark.get().code])
    assert "<dd>10.58%</dd>" in owner_client.get(url).content.decode()


@pytest.mark.django_db
def test_managers_and_marketers_read_the_tables_without_forms(team, manager_client):
    page = manager_client.get(SETTINGS).content.decode()
    assert "1,000–10,000" in page and "6.0%" in page
    for url_name in ("influencers-tiers-save", "influencers-tier-scheme"):
        assert reverse(url_name) not in page
    assert "Only owners change these tables" in page
    code = Benchmark.objects.filter(organization=team.organization).first().code
    page = manager_client.get(reverse("influencers-benchmark-edit", args=[code])).content.decode()
    assert "Only owners change benchmarks" in page and '<form method="post" class' not in page


@pytest.mark.django_db
def test_the_page_needs_no_inline_script_or_style(owner_client):
    page = owner_client.get(SETTINGS).content.decode()
    assert "<script" not in page and "style=" not in page
    assert "Switching replaces all tiers and benchmarks" in page
    assert "(likes + comments) / followers" in page


@pytest.mark.django_db
def test_the_settings_nav_links_to_the_tables(owner_client):
    page = owner_client.get(reverse("accounts-settings")).content.decode()
    assert f'href="{SETTINGS}"' in page and "Tiers &amp; benchmarks" in page


# --- Presets ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_switching_to_hypeauditor_2023_makes_a_4000_follower_account_nano(owner_client, team):
    account = make_account(team.organization)
    assert (account.tier.name, account.benchmark_ratio) == ("micro", Decimal("2.475"))
    response = owner_client.post(reverse("influencers-tier-scheme"), {"scheme": "hypeauditor-2023"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.tier.name == "nano" and account.tier.lower == 1_000
    assert account.benchmark.rate == Decimal("1.78")
    assert account.benchmark_ratio == Decimal("8.343")  # 14.85 / 1.78
    page = owner_client.get(SETTINGS).content.decode()
    assert SCHEMES["hypeauditor-2023"].name in page and "10,000–50,000" in page


@pytest.mark.django_db
def test_an_unknown_scheme_is_refused(owner_client, team):
    response = owner_client.post(reverse("influencers-tier-scheme"), {"scheme": "made-up"})
    assert response.status_code == 200
    assert response.context["scheme_form"].errors["scheme"]
    assert (
        selectors.engagement_settings_get(organization=team.organization).tier_scheme == "product"
    )


# --- The tier table --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_owner_moves_a_bound_and_accounts_follow(owner_client, team):
    account = make_account(team.organization)
    data = tier_post(
        team.organization,
        change={"micro": {"upper": 3_000}, "mid-tier": {"lower": 3_000}},
    )
    response = owner_client.post(reverse("influencers-tiers-save"), data)
    assert response.status_code == 302, response.context["tier_formset"].errors
    account.refresh_from_db()
    assert account.tier.name == "mid-tier"
    assert account.benchmark_ratio == Decimal("9.167")  # 14.85 / 1.62
    micro = FollowerTier.objects.get(organization=team.organization, name="micro")
    assert micro.source == services.ORGANIZATION_SOURCE
    assert micro.benchmarks.count() == 3  # an edited tier keeps its benchmarks
    nano = FollowerTier.objects.get(organization=team.organization, name="nano")
    assert nano.source == PRODUCT_SOURCE


@pytest.mark.django_db
def test_an_owner_adds_renames_and_removes_tiers_in_one_save(owner_client, team):
    data = tier_post(
        team.organization,
        # Swapping two names collides halfway unless the save parks the rows first.
        change={"nano": {"name": "macro"}, "macro": {"name": "nano"}},
        delete=["mega"],
        extra_rows=[
            {
                "name": "mega",
                "lower": 5_000_000,
                "upper": "",
                "cost_min": "10000",
                "cost_max": "",
                "cost_currency": "eur",
                "cost_source": "Agency quote",
            }
        ],
    )
    response = owner_client.post(reverse("influencers-tiers-save"), data)
    assert response.status_code == 302, response.context["tier_formset"].errors
    table = {row["name"]: row for row in tier_table(team.organization)}
    assert (table["macro"]["lower"], table["nano"]["lower"]) == (0, 100_000)
    assert (table["mega"]["lower"], table["mega"]["cost_min"]) == (5_000_000, Decimal("10000"))
    assert FollowerTier.objects.get(name="mega", organization=team.organization).cost_currency == (
        "EUR"
    )
    # The removed mega tier took its benchmark with it.
    assert not Benchmark.objects.filter(organization=team.organization, rate=Decimal("1.54"))


BAD_ROWS = [
    ({"micro": {"upper": 20_000}}, [(1, "upper"), (2, "lower")], "Overlaps"),
    ({"micro": {"upper": 1_000}}, [(1, "upper")], "Must be above the lower bound"),
    ({"nano": {"lower": -5}}, [(0, "lower")], "greater than or equal to 0"),
    ({"micro": {"cost_min": "600", "cost_max": "500"}}, [(1, "cost_max")], "at least the minimum"),
    ({"micro": {"cost_min": "-1"}}, [(1, "cost_min")], "greater than or equal to 0"),
    ({"macro": {"name": "Micro"}}, [(3, "name")], "already called"),
    ({"nano": {"cost_min": "50", "cost_source": ""}}, [(0, "cost_source")], "comes from"),
    # Input a field refuses by itself, next to rows the table checks compare it with.
    ({"nano": {"upper": "abc"}}, [(0, "upper")], "Enter a whole number."),
    ({"micro": {"upper": "abc"}}, [(1, "upper")], "Enter a whole number."),
    ({"micro": {"lower": "1e3"}}, [(1, "lower")], "Enter a whole number."),
    ({"micro": {"lower": "3000000000"}}, [(1, "lower")], "less than or equal to 2000000000"),
    ({"mega": {"upper": "9" * 30}}, [(4, "upper")], "less than or equal to 2000000000"),
    ({"micro": {"cost_min": "1.234"}}, [(1, "cost_min")], "no more than 2 decimal places"),
    ({"micro": {"cost_max": "12345678901234"}}, [(1, "cost_max")], "no more than 12 digits"),
    ({"micro": {"cost_max": "NaN"}}, [(1, "cost_max")], "Enter a number."),
    ({"micro": {"cost_min": "1e400"}}, [(1, "cost_min")], "no more than 12 digits"),
    ({"micro": {"cost_currency": "US"}}, [(1, "cost_currency")], "at least 3 characters"),
    ({"micro": {"cost_currency": "EURO"}}, [(1, "cost_currency")], "at most 3 characters"),
    ({"micro": {"cost_currency": "U$D"}}, [(1, "cost_currency")], "three-letter currency"),
    ({"micro": {"cost_currency": "ÜSD"}}, [(1, "cost_currency")], "three-letter currency"),
    ({"micro": {"name": "m" * 41}}, [(1, "name")], "at most 40 characters"),
    ({"micro": {"code": "not-a-code"}}, [(1, "code")], "Enter a valid UUID."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "fields", "message"), BAD_ROWS)
def test_bad_tier_rows_are_refused_at_the_field_and_nothing_changes(
    owner_client, team, change, fields, message
):
    account = make_account(team.organization)
    before = tier_table(team.organization)
    response = owner_client.post(
        reverse("influencers-tiers-save"), tier_post(team.organization, change)
    )
    assert response.status_code == 200
    for index, field in fields:
        assert any(message in error for error in form_errors(response, index)[field]), form_errors(
            response, index
        )
    assert message in response.content.decode()
    assert tier_table(team.organization) == before
    account.refresh_from_db()
    assert account.tier.name == "micro"


@pytest.mark.django_db
def test_an_overlap_is_reported_beside_another_rows_field_error(owner_client, team):
    data = tier_post(
        team.organization, {"micro": {"upper": 20_000}, "macro": {"cost_min": "-5", "name": ""}}
    )
    response = owner_client.post(reverse("influencers-tiers-save"), data)
    assert form_errors(response, 1)["upper"] == ["Overlaps mid-tier (10,000–100,000)."]
    assert form_errors(response, 3)["cost_min"] == [
        "Ensure this value is greater than or equal to 0."
    ]
    assert form_errors(response, 3)["name"] == ["This field is required."]  # not twice


@pytest.mark.django_db
def test_a_row_with_a_broken_bound_takes_no_part_in_the_overlap_check(owner_client, team):
    # "abc" is no bound: the row is not read as open-ended and overlapping every other row.
    before = tier_table(team.organization)
    data = tier_post(team.organization, {"nano": {"upper": "abc"}, "micro": {"upper": 20_000}})
    response = owner_client.post(reverse("influencers-tiers-save"), data)
    assert response.status_code == 200
    assert form_errors(response, 0) == {"upper": ["Enter a whole number."]}
    assert form_errors(response, 1) == {"upper": ["Overlaps mid-tier (10,000–100,000)."]}
    assert form_errors(response, 2) == {"lower": ["Overlaps micro (1,000–20,000)."]}
    assert tier_table(team.organization) == before


@pytest.mark.django_db
def test_a_row_with_a_refused_name_still_shows_its_overlap(owner_client, team):
    before = tier_table(team.organization)
    data = tier_post(team.organization, {"micro": {"name": "m" * 41, "upper": 20_000}})
    response = owner_client.post(reverse("influencers-tiers-save"), data)
    assert response.status_code == 200
    assert form_errors(response, 1) == {
        "name": ["Ensure this value has at most 40 characters (it has 41)."],
        "upper": ["Overlaps mid-tier (10,000–100,000)."],
    }
    assert form_errors(response, 2) == {"lower": ["Overlaps the tier 1,000–20,000."]}
    assert tier_table(team.organization) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},  # no management form at all
        {"tiers-TOTAL_FORMS": "abc", "tiers-INITIAL_FORMS": "0"},
        {"tiers-0-name": "nano", "tiers-0-lower": "0"},  # rows without their count
    ],
)
def test_a_tier_post_without_its_management_form_is_refused(owner_client, team, data):
    before = tier_table(team.organization)
    response = owner_client.post(reverse("influencers-tiers-save"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The tier table arrived incomplete" in page
    assert "Keep at least one tier." not in page  # no table was sent, so none is judged
    # The form is shown again from the saved table, ready to send in full.
    formset = response.context["tier_formset"]
    assert not formset.is_bound and len(formset.initial) == 5
    assert 'name="tiers-TOTAL_FORMS" value="6"' in page
    assert tier_table(team.organization) == before


@pytest.mark.django_db
def test_one_tier_sent_twice_is_refused(owner_client, team):
    before = tier_table(team.organization)
    mega = FollowerTier.objects.get(organization=team.organization, name="mega")
    copy = {"code": str(mega.code), "name": "giga", "lower": 9_000_000, "cost_currency": "USD"}
    data = tier_post(team.organization, {"mega": {"upper": 5_000_000}}, extra_rows=[copy])
    response = owner_client.post(reverse("influencers-tiers-save"), data)
    assert response.status_code == 200
    assert form_errors(response, 5)["name"] == ["This tier appears twice; reload the page."]
    assert tier_table(team.organization) == before


@pytest.mark.django_db
def test_a_row_the_database_would_refuse_is_reported_not_a_crash(team):
    # Whatever the table checks miss, the model's own validation reports at the row.
    before = tier_table(team.organization)
    rows = [{**row, "cost_currency": "USD"} for row in before]
    rows[1]["cost_source"] = "x" * 201
    with pytest.raises(services.TierTableError) as raised:
        services.tiers_save(organization=team.organization, rows=rows)
    assert list(raised.value.rows) == [1]
    assert "cost_source" in raised.value.rows[1]
    assert tier_table(team.organization) == before


@pytest.mark.django_db
def test_a_table_of_more_than_50_tiers_is_refused(team):
    before = tier_table(team.organization)
    rows = [{"name": f"t{n}", "lower": n * 10, "upper": n * 10 + 10} for n in range(51)]
    with pytest.raises(services.TierTableError) as raised:
        services.tiers_save(organization=team.organization, rows=rows)
    assert raised.value.rows == {None: {"tiers": ["A tier table has at most 50 rows."]}}
    assert tier_table(team.organization) == before
    services.tiers_save(organization=team.organization, rows=rows[:50])


@pytest.mark.django_db
def test_changing_a_tier_that_is_not_in_the_table_is_refused(team):
    # A tier deleted since it was read (or another organisation's) is no StopIteration.
    foreign = FollowerTier.objects.get(organization=team.outsider.organization, name="micro")
    with pytest.raises(ValidationError, match="removed meanwhile"):
        services.tier_save(organization=team.organization, tier=foreign, upper=2_000)


@pytest.mark.django_db
def test_an_empty_table_is_refused(owner_client, team):
    names = [tier.name for tier in FollowerTier.objects.filter(organization=team.organization)]
    response = owner_client.post(
        reverse("influencers-tiers-save"), tier_post(team.organization, delete=names)
    )
    assert response.status_code == 200
    assert "Keep at least one tier." in response.content.decode()
    assert FollowerTier.objects.filter(organization=team.organization).count() == 5


@pytest.mark.django_db
def test_the_service_writes_nothing_when_one_row_is_bad(team):
    before = tier_table(team.organization)
    rows = [{**row, "cost_currency": "USD"} for row in before]
    rows[0]["name"] = "renamed"
    rows[4]["lower"] = 500_000  # overlaps macro
    with pytest.raises(services.TierTableError) as raised:
        services.tiers_save(organization=team.organization, rows=rows)
    assert set(raised.value.rows) == {3, 4}
    assert tier_table(team.organization) == before


# --- Benchmarks ------------------------------------------------------------------------------


def benchmark_post(team, **values):
    micro = FollowerTier.objects.get(organization=team.organization, name="micro")
    return {
        "platform": "tiktok",
        "tier": str(micro.code),
        "formula": "followers",
        "rate": "5.5",
        "source": "Our own sample of 40 accounts",
        "year": "2025",
        **values,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"rate": "0"}, "rate", "at least 0.01%"),
        ({"rate": "0.001"}, "rate", "at least 0.01%"),
        ({"rate": "0.009"}, "rate", "at least 0.01%"),
        ({"rate": "-3"}, "rate", "at least 0.01%"),
        ({"rate": "150"}, "rate", "at most 100"),
        ({"rate": "abc"}, "rate", "Enter a number."),
        ({"rate": "NaN"}, "rate", "Enter a number."),
        ({"rate": "1e400"}, "rate", "no more than 6 digits"),
        ({"rate": "5.1234"}, "rate", "no more than 3 decimal places"),
        ({"rate": ""}, "rate", "This field is required."),
        ({"year": "9" * 30}, "year", "between 2000"),
        ({"year": "20x5"}, "year", "Enter a whole number."),
        ({"tier": "not-a-tier"}, "tier", "Select a valid choice."),
        ({"platform": "myspace"}, "platform", "Select a valid choice."),
        ({"source": "s" * 201}, "source", "at most 200 characters"),
        ({"source": ""}, "source", "Say where the number comes from."),
        ({"year": "1999"}, "year", "between 2000"),
        ({"formula": "views"}, "formula", "already has a benchmark"),  # TikTok micro by views
    ],
)
def test_a_bad_benchmark_is_refused_and_nothing_changes(owner_client, team, values, field, message):
    before = list(Benchmark.objects.values())
    response = owner_client.post(
        reverse("influencers-benchmark-create"), benchmark_post(team, **values)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["benchmark_form"].errors[field])
    assert list(Benchmark.objects.values()) == before


@pytest.mark.django_db
def test_editing_the_instagram_micro_benchmark_changes_the_ratio(owner_client, team):
    account = make_account(team.organization)
    assert account.engagement_rate == Decimal("14.850")
    benchmark = account.benchmark
    url = reverse("influencers-benchmark-edit", args=[benchmark.code])
    assert "6.0%" in owner_client.get(url).content.decode()
    response = owner_client.post(url, {"rate": "3.0", "source": "Our 2025 sample", "year": "2025"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.benchmark_ratio == Decimal("4.950")
    benchmark.refresh_from_db()
    assert (benchmark.rate, benchmark.source, benchmark.year) == (3, "Our 2025 sample", 2025)


@pytest.mark.django_db
def test_a_bad_edit_is_refused_on_the_benchmark_page(owner_client, team):
    account = make_account(team.organization)
    url = reverse("influencers-benchmark-edit", args=[account.benchmark.code])
    response = owner_client.post(url, {"rate": "0", "source": "", "year": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"rate", "source"}
    account.refresh_from_db()
    assert (account.benchmark.rate, account.benchmark_ratio) == (Decimal("6.0"), Decimal("2.475"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"rate": "0.001"}, "rate", "at least 0.01%"),
        ({"rate": "abc"}, "rate", "Enter a number."),
        ({"rate": "99999999"}, "rate", "no more than 6 digits"),
        ({"year": "9" * 30}, "year", "between 2000"),
    ],
)
def test_bad_input_on_the_benchmark_page_is_shown_at_its_field(
    owner_client, team, values, field, message
):
    account = make_account(team.organization)
    url = reverse("influencers-benchmark-edit", args=[account.benchmark.code])
    data = {"rate": "3.0", "source": "Our 2025 sample", "year": "2025", **values}
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    page = response.content.decode()
    assert escape(message) in page
    assert "A percentage from 0.01 to 100" in page  # the rule, beside the field
    account.refresh_from_db()
    assert account.benchmark.rate == Decimal("6.0")


@pytest.mark.django_db
def test_the_lowest_benchmark_rate_cannot_overflow_the_ratio(team):
    # The largest rate the inputs allow (likes and comments of 10^10 over one follower)
    # against the smallest benchmark rate still fits the ratio column.
    account = make_account(
        team.organization,
        followers=1,
        avg_likes=Decimal("9999999999.99"),
        avg_comments=Decimal("9999999999.99"),
    )
    services.tiers_save(
        organization=team.organization,
        rows=[{"name": "all", "lower": 0, "upper": None, "cost_currency": "USD"}],
    )
    tier = FollowerTier.objects.get(organization=team.organization)
    services.benchmark_save(
        organization=team.organization,
        platform="instagram",
        tier=tier,
        formula="followers",
        rate=services.BENCHMARK_RATE_MIN,
        source="Lowest allowed",
    )
    account.refresh_from_db()
    assert account.engagement_rate == Decimal("1999999999998.000")
    assert account.benchmark_ratio == Decimal("199999999999800.000")
    with pytest.raises(ValidationError) as raised:
        services.benchmark_save(
            organization=team.organization,
            benchmark=account.benchmark,
            platform="instagram",
            tier=tier,
            formula="followers",
            rate=Decimal("0.001"),
            source="Below the lowest",
        )
    assert set(raised.value.message_dict) == {"rate"}


@pytest.mark.django_db
def test_an_owner_adds_and_removes_a_benchmark(owner_client, team):
    account = make_account(team.organization, handle="tok", platform="tiktok")
    assert account.benchmark is None  # no TikTok micro figure by followers
    response = owner_client.post(reverse("influencers-benchmark-create"), benchmark_post(team))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.benchmark.source == "Our own sample of 40 accounts"
    assert account.benchmark_ratio == Decimal("2.700")  # 14.85 / 5.5
    assert "Our own sample of 40 accounts" in owner_client.get(SETTINGS).content.decode()
    response = owner_client.post(
        reverse("influencers-benchmark-delete", args=[account.benchmark.code])
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.benchmark is None and account.benchmark_ratio is None


# --- Engagement options ----------------------------------------------------------------------


@pytest.mark.django_db
def test_counting_saves_recomputes_only_accounts_that_have_saves(owner_client, team):
    with_saves = make_account(team.organization, handle="saver", avg_saves=Decimal("60"))
    without = make_account(team.organization, handle="plain")
    assert with_saves.engagement_rate == without.engagement_rate == Decimal("14.850")
    response = owner_client.post(reverse("influencers-engagement-options"), {"include_saves": "on"})
    assert response.status_code == 302
    with_saves.refresh_from_db()
    without.refresh_from_db()
    assert with_saves.engagement_rate == Decimal("16.350")  # (554 + 40 + 60) / 4,000
    assert with_saves.engagement_interactions == "likes + comments + saves"
    assert with_saves.benchmark_ratio == Decimal("2.725")
    assert without.engagement_rate == Decimal("14.850")
    assert without.engagement_interactions == "likes + comments"
    page = owner_client.get(SETTINGS).content.decode()
    assert "likes + comments + saves" in page


# --- Who may change what ---------------------------------------------------------------------


def _writes(team):
    benchmark = Benchmark.objects.filter(organization=team.organization).first()
    return [
        (reverse("influencers-tier-scheme"), {"scheme": "hypeauditor-2018"}),
        (reverse("influencers-tiers-save"), tier_post(team.organization, {"nano": {"upper": 900}})),
        (reverse("influencers-engagement-options"), {"include_saves": "on"}),
        (reverse("influencers-benchmark-create"), benchmark_post(team)),
        (
            reverse("influencers-benchmark-edit", args=[benchmark.code]),
            {"rate": "1", "source": "x"},
        ),
        (reverse("influencers-benchmark-delete", args=[benchmark.code]), {}),
    ]


def _state(team):
    return (
        tier_table(team.organization),
        list(Benchmark.objects.order_by("pk").values()),
        list(SocialAccount.objects.order_by("pk").values()),
        selectors.engagement_settings_get(organization=team.organization).include_saves,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "marketer"])
def test_only_owners_change_settings(team, role):
    make_account(team.organization)
    client = team.client_for(getattr(team, role))
    before = _state(team)
    for url, data in _writes(team):
        assert client.post(url, data).status_code == 403, url
    assert _state(team) == before


@pytest.mark.django_db
def test_another_organisations_benchmark_is_404(team, outsider_client):
    benchmark = Benchmark.objects.filter(organization=team.organization).first()
    for name in ("influencers-benchmark-edit", "influencers-benchmark-delete"):
        url = reverse(name, args=[benchmark.code])
        assert outsider_client.post(url, {"rate": "1", "source": "x"}).status_code == 404
    assert (
        outsider_client.get(
            reverse("influencers-benchmark-edit", args=[benchmark.code])
        ).status_code
        == 404
    )
    assert Benchmark.objects.filter(pk=benchmark.pk).exists()


# --- The same tables through the API ---------------------------------------------------------

TIERS_API = "/api/v1/tiers/"
BENCHMARKS_API = "/api/v1/benchmarks/"


def api_send(membership, method, url, data):
    _, key = account_services.api_token_create(membership=membership, name="script")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"lower": "abc"}, "lower"),
        ({"lower": 3_000_000_000}, "lower"),
        ({"upper": 2_147_483_648}, "upper"),
        ({"upper": "9" * 30}, "upper"),
        ({"cost_min": "1.234"}, "cost_min"),
        ({"cost_max": "12345678901234", "cost_source": "x"}, "cost_max"),
        ({"cost_min": "NaN"}, "cost_min"),
        ({"cost_currency": "US"}, "cost_currency"),
        ({"cost_currency": "EURO"}, "cost_currency"),
        ({"cost_currency": "1$€"}, "cost_currency"),
        ({"name": "g" * 41}, "name"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_tier_input_through_the_api_is_a_400_at_its_field(team, values, field):
    before = tier_table(team.organization)
    data = {"name": "giga", "lower": 9_000_000, **values}
    mega = FollowerTier.objects.get(organization=team.organization, name="mega")
    services.tier_save(organization=team.organization, tier=mega, upper=5_000_000)
    before = tier_table(team.organization)
    response = api_send(team.owner, "post", TIERS_API, data)
    assert response.status_code == 400, response.content
    assert field in api_errors(response), response.json()
    assert tier_table(team.organization) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field", "message", "status"),
    [
        # Well-formed but below what any published benchmark is: the product's rule.
        ({"rate": "0.001"}, "rate", "at least 0.01%", 422),
        ({"rate": "0.0001"}, "rate", "3 after it", 400),
        ({"rate": "1000"}, "rate", "3 digits", 400),
        ({"rate": "abc"}, "rate", "as text", 400),
        ({"year": 2_147_483_648}, "year", "less than or equal to 32767", 400),
        ({"year": 2999}, "year", "between 2000", 422),
        ({"source": "s" * 201}, "source", "200 characters", 400),
    ],
)
def test_bad_benchmark_input_through_the_api_is_refused_at_its_field(
    team, values, field, message, status
):
    account = make_account(team.organization)
    url = f"{BENCHMARKS_API}{account.benchmark.code}/"
    response = api_send(team.owner, "patch", url, values)
    assert response.status_code == status, response.content
    errors = api_errors(response)[field]
    assert any(message in error for error in errors), errors
    account.refresh_from_db()
    assert (account.benchmark.rate, account.benchmark_ratio) == (Decimal("6.0"), Decimal("2.475"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"tiers-TOTAL_FORMS": "100000"}, "A tier table has at most 50 rows."),
        # Three saved rows announced but not sent: each is missing its fields.
        ({"tiers-TOTAL_FORMS": "8", "tiers-INITIAL_FORMS": "8"}, "This field is required."),
        ({"tiers-TOTAL_FORMS": "-1"}, "Keep at least one tier."),  # read as no rows
    ],
)
def test_a_tier_post_with_forged_row_counts_is_refused(owner_client, team, counts, message):
    before = tier_table(team.organization)
    response = owner_client.post(
        reverse("influencers-tiers-save"), tier_post(team.organization) | counts
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert tier_table(team.organization) == before
