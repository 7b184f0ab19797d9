"""The admin writes accounts through the services and shows derived tables read-only."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from influencers.models import FollowerTier, SocialAccount
from tests.factories import InfluencerFactory, UserFactory, make_account


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_changing_followers_in_the_admin_re_derives_the_account(admin_client, team):
    account = make_account(
        InfluencerFactory(organization=team.organization),
        source="import",
        followers=4000,
        avg_likes=Decimal(554),
        avg_comments=Decimal(40),
    )
    form = {
        "platform": "instagram",
        "handle": account.handle,
        "followers": "40000",
        "avg_likes": "554",
        "avg_comments": "40",
        "engagement_formula": "followers",
    }
    url = reverse("admin:influencers_socialaccount_change", args=[account.pk])
    assert admin_client.post(url, form).status_code == 302

    account.refresh_from_db()
    assert account.engagement_rate == Decimal("1.485")  # 594 / 40,000
    assert account.tier.name == "mid-tier"
    assert account.benchmark_ratio == Decimal("0.917")  # against mid-tier's 1.62%
    assert account.audience_source == account.engagement_source == "manual"


@pytest.mark.django_db
def test_an_account_edit_in_the_admin_without_new_numbers_keeps_their_source(admin_client, team):
    account = make_account(
        InfluencerFactory(organization=team.organization), source="import", followers=4000
    )
    form = {
        "platform": "instagram",
        "handle": account.handle,
        "bio": "Now with a bio",
        "followers": "4000",
        "engagement_formula": "followers",
    }
    url = reverse("admin:influencers_socialaccount_change", args=[account.pk])
    assert admin_client.post(url, form).status_code == 302
    account.refresh_from_db()
    assert (account.bio, account.audience_source) == ("Now with a bio", "import")


@pytest.mark.django_db
def test_tiers_and_benchmarks_are_read_only_in_the_admin(admin_client, team):
    tier = FollowerTier.objects.get(organization=team.organization, name="micro")
    url = reverse("admin:influencers_followertier_change", args=[tier.pk])
    assert admin_client.get(url).status_code == 200  # shown
    response = admin_client.post(url, {"name": "tiny", "lower": 0, "upper": 10})
    assert response.status_code == 403
    tier.refresh_from_db()
    assert tier.name == "micro"
    assert admin_client.get(reverse("admin:influencers_benchmark_add")).status_code == 403
    assert SocialAccount.objects.count() == 0
