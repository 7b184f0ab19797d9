"""allauth's pages speak in sentence case, as the rest of the product."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def test_the_compiled_catalogue_says_what_the_po_file_says():
    # The .mo is what Django reads; a .po edited without recompiling would be ignored.
    source = (MESSAGES / "django.po").read_text()
    pairs = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, flags=re.M))
    with (MESSAGES / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert pairs and {msgid: catalogue.gettext(msgid) for msgid in pairs} == pairs


@pytest.mark.django_db
def test_sign_in_and_sign_up_are_in_sentence_case(client):
    page = client.get(reverse("account_login")).content.decode()
    assert re.search(r"<h1>\s*Sign in\s*</h1>", page)
    assert "Remember me" in page and "Sign In" not in page
    assert "Sign up" in client.get(reverse("account_signup")).content.decode()
