import pytest
from django.urls import reverse

from accounts.models import Brand, BrandHandle
from tests.factories import BrandFactory


def _brand_form(**overrides):
    data = {
        "name": "Glow & Co",
        "website": "glow.example",
        "hashtags": "#GlowCo, scrubup #glowco",
        "instagram": "@GlowCo",
        "tiktok": "",
        "youtube": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_brands_page_says_what_to_do_when_empty(marketer_client, manager_client):
    assert (
        "Add your first brand" in marketer_client.get(reverse("accounts-brands")).content.decode()
    )
    page = manager_client.get(reverse("accounts-brands")).content.decode()
    assert "No brands yet" in page and "Add your first brand" not in page


@pytest.mark.django_db
def test_a_marketer_adds_a_brand_with_handles_and_hashtags(marketer_client, team):
    response = marketer_client.post(reverse("accounts-brand-create"), _brand_form(), follow=True)
    assert "Brand Glow &amp; Co added." in response.content.decode()
    brand = Brand.objects.get(organization=team.organization)
    assert brand.website == "https://glow.example"
    assert brand.hashtags == ["glowco", "scrubup"]
    handle = brand.handles.get()
    assert (handle.platform, handle.handle, handle.organization) == (
        "instagram",
        "GlowCo",
        team.organization,
    )
    page = response.content.decode()
    assert "Instagram @GlowCo" in page and "#scrubup" in page


@pytest.mark.django_db
def test_a_duplicate_name_or_bad_hashtag_is_refused_at_the_field(marketer_client, team):
    BrandFactory(organization=team.organization, name="Glow & Co")
    response = marketer_client.post(reverse("accounts-brand-create"), _brand_form(name="glow & co"))
    assert "Another brand in this organisation has this name." in response.content.decode()
    response = marketer_client.post(
        reverse("accounts-brand-create"), _brand_form(name="Other", hashtags="#ok #not-ok")
    )
    assert "“#not-ok” is not a hashtag" in response.content.decode()
    response = marketer_client.post(
        reverse("accounts-brand-create"), _brand_form(name="Other", instagram="glow co!")
    )
    assert "A handle has letters, digits" in response.content.decode()
    assert Brand.objects.filter(organization=team.organization).count() == 1


@pytest.mark.django_db
def test_the_same_brand_name_is_fine_in_another_organisation(marketer_client, team):
    BrandFactory(organization=team.outsider.organization, name="Glow & Co")
    marketer_client.post(reverse("accounts-brand-create"), _brand_form())
    assert Brand.objects.filter(organization=team.organization).exists()


@pytest.mark.django_db
def test_clearing_a_handle_removes_it(marketer_client, team):
    marketer_client.post(reverse("accounts-brand-create"), _brand_form(tiktok="glowtok"))
    brand = Brand.objects.get()
    assert BrandHandle.objects.count() == 2
    marketer_client.post(
        reverse("accounts-brand-edit", args=[brand.code]),
        _brand_form(instagram="", tiktok="glowtok"),
    )
    assert list(BrandHandle.objects.values_list("platform", "handle")) == [("tiktok", "glowtok")]


@pytest.mark.django_db
def test_a_manager_reads_a_brand_without_a_save_button(manager_client, team):
    brand = BrandFactory(organization=team.organization)
    page = manager_client.get(reverse("accounts-brand-edit", args=[brand.code])).content.decode()
    assert brand.name in page
    assert "Save brand" not in page and "Delete" not in page


@pytest.mark.django_db
def test_a_marketer_deletes_a_brand(marketer_client, team):
    brand = BrandFactory(organization=team.organization)
    response = marketer_client.post(
        reverse("accounts-brand-delete", args=[brand.code]), follow=True
    )
    assert f"Brand {brand.name} deleted." in response.content.decode()
    assert not Brand.objects.exists()
