from django.apps import apps

from accounts.models import Organization
from tests.test_isolation import PRODUCT_APPS

# Rows that are not owned by one organisation, with the reason.
NOT_ORGANISATION_OWNED = {
    "accounts.User": "a person may belong to several organisations",
    "accounts.Organization": "the boundary itself",
}


def test_every_product_model_has_an_indexed_organisation_and_a_public_code():
    for label in PRODUCT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in NOT_ORGANISATION_OWNED:
                continue
            organization = model._meta.get_field("organization")
            assert organization.related_model is Organization, model._meta.label
            assert organization.db_index, model._meta.label
            assert model._meta.get_field("code").unique, model._meta.label
