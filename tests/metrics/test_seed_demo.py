from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import Membership, Organization
from influencers.models import DataSource, SocialAccount


@pytest.mark.django_db
def test_seed_demo_creates_the_workspace_once_and_prints_the_logins(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "Created the demo workspace" in output and "Reusing the demo workspace" in output
    assert "owner@demo.example" in output and "demo-glow-2026" in output
    organization = Organization.objects.get()
    assert sorted(Membership.objects.values_list("role", flat=True)) == [
        "manager",
        "marketer",
        "owner",
    ]
    anna = SocialAccount.objects.get(organization=organization, handle="anna.scrub")
    assert (anna.engagement_rate, anna.benchmark_ratio) == (Decimal("14.850"), Decimal("2.475"))
    assert anna.engagement_source == DataSource.SANDBOX
    assert SocialAccount.objects.count() == 8
