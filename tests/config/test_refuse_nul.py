"""A NUL character anywhere a person could type is refused with a 400 before any view runs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Brand
from influencers.models import Influencer
from tests.api import Api


@pytest.mark.django_db
def test_a_nul_in_a_form_field_is_a_400_page_and_saves_nothing(marketer_client):
    response = marketer_client.post(reverse("influencers-create"), {"name": "Ana\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "NUL character" in page and "Nothing was saved." in page
    assert not Influencer.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/influencers/?q=a%00b", "/invitations/%00/", "/campaigns/?page=%00"]
)
def test_a_nul_in_an_address_is_a_400(marketer_client, url):
    assert marketer_client.get(url).status_code == 400


@pytest.mark.django_db
def test_a_nul_in_an_api_string_is_a_400_at_its_field(team):
    response = Api(team.marketer).send("post", "/api/v1/brands/", {"name": "Glow\x00"})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "code": "null_characters_not_allowed",
        "detail": "Null characters are not allowed.",
        "attr": "name",
    }
    assert not Brand.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_an_api_address_is_a_400_in_the_apis_shape(team):
    response = Api(team.marketer).get("/api/v1/brands/%00/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "null_character"


@pytest.mark.django_db
def test_a_nul_inside_an_uploaded_file_is_left_to_the_files_reader(marketer_client):
    roster = SimpleUploadedFile("roster.csv", b"platform,handle\ninstagram,a\x00b\n")
    response = marketer_client.post(reverse("influencers-import"), {"file": roster})
    assert response.status_code == 200  # the upload form, with the reader's message at the file
    assert "binary data" in response.content.decode()
