from decimal import Decimal

import pytest

from influencers import services
from influencers.models import EngagementSettings, SocialAccount
from influencers.tasks import recompute_engagement
from tests.factories import InfluencerFactory, make_account


def _account_with_saves(team):
    return make_account(
        InfluencerFactory(organization=team.organization),
        followers=1000,
        avg_likes=Decimal(100),
        avg_comments=Decimal(10),
        avg_saves=Decimal(20),
    )


@pytest.mark.django_db
def test_a_large_roster_is_recomputed_by_a_worker_after_the_commit(
    team, monkeypatch, django_capture_on_commit_callbacks
):
    account = _account_with_saves(team)
    monkeypatch.setattr(services, "INLINE_RECOMPUTE_MAX", 0)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recomputed = services.engagement_settings_update(
            organization=team.organization, include_saves=True, include_shares=False
        )
    assert recomputed is False
    account.refresh_from_db()
    assert account.engagement_rate == Decimal("11.000")  # not yet: the worker has not run
    for callback in callbacks:
        callback()  # Celery is eager in tests: the task runs here
    account.refresh_from_db()
    assert account.engagement_rate == Decimal("13.000")
    assert account.engagement_interactions == "likes + comments + saves"


@pytest.mark.django_db
def test_the_recompute_task_is_safe_to_run_twice_and_ignores_a_deleted_organisation(team):
    account = _account_with_saves(team)
    EngagementSettings.objects.filter(organization=team.organization).update(include_saves=True)
    assert recompute_engagement(team.organization.pk) == 1
    assert recompute_engagement(team.organization.pk) == 0  # nothing left to change
    account.refresh_from_db()
    assert account.engagement_rate == Decimal("13.000")
    assert recompute_engagement(10_000_000) == 0
    assert SocialAccount.objects.count() == 1
