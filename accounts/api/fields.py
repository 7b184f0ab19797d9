"""Serializer fields every app's API shares: rows named by code, handles and hashtags."""

import re
import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from accounts.api.strict import SPACES
from accounts.models import HANDLE_MAX_LENGTH, HANDLE_MESSAGE, HANDLE_PATTERN, RULE, Platform

# The canonical text of a UUID, as `format: uuid` means it (uuid.UUID also takes braces,
# URNs and undashed hex, which the schema does not allow).
UUID_RE = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


@extend_schema_field(OpenApiTypes.UUID)
class OrganizationCodeField(serializers.Field):
    """A row of `model` of the caller's organisation, named by its code: every serializer
    chooses related rows with it, so another organisation's row is refused by construction.

    A code that is not a UUID does not match the schema (400). A well-formed code of no row of
    the organisation breaks a rule (422), with the same answer for another organisation's row
    as for a made-up one, so codes never leak. The field takes the model, not a queryset: a
    queryset made when the serializer class is defined would be made outside any scope.
    """

    def __init__(self, model, label_for_errors, **kwargs):
        self.model = model
        self.label_for_errors = label_for_errors
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not (isinstance(data, str) and UUID_RE.fullmatch(data)):
            raise ValidationError(f"A {self.label_for_errors} code is a UUID.", code="invalid")
        code = uuid.UUID(data)
        membership = self.context["membership"]
        rows = self.model.objects.filter(organization=membership.organization)
        found = rows.filter(code=code).first()
        if found is None:
            raise ValidationError(self.unknown_message(), code=RULE)
        return found

    def unknown_message(self) -> str:
        return f"Unknown {self.label_for_errors}."

    def to_representation(self, value):
        return str(value.code)


# \w is any script's letters and digits to the server (and to Python-based validators); a
# JavaScript validator reads it as ASCII only, and refuses a handle such as “josé” the
# server takes. The descriptions say so.
UNICODE_WORD = "\\w is a letter or digit of any script, or _."


def handle_field(**kwargs) -> serializers.CharField:
    """A social handle, without the @; the schema carries the same pattern the server checks."""
    return serializers.RegexField(
        rf"^@?{HANDLE_PATTERN}$",
        max_length=HANDLE_MAX_LENGTH,
        error_messages={"invalid": HANDLE_MESSAGE},
        help_text=kwargs.pop("help_text", HANDLE_MESSAGE) + f" {UNICODE_WORD}",
        **kwargs,
    )


WEB_ADDRESS_PATTERN = rf"^https?://[^{SPACES}]+$"


class WebAddressField(serializers.URLField):
    """An http(s) address. The schema's pattern says its shape; one of that shape that is no
    web address (no domain, a bad port) breaks a rule the schema cannot express: a 422."""

    def run_validators(self, value):
        if not re.fullmatch(WEB_ADDRESS_PATTERN, value):
            raise ValidationError("Enter a web address starting with https:// or http://.")
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError([str(detail) for detail in error.detail], code=RULE) from None


NOT_NEGATIVE = {"min_value": 0}
PERCENT = {"min_value": 0, "help_text": "A percentage, from 0 to 100 (more is a 422)."}


def currency_field(**kwargs) -> serializers.RegexField:
    """A three-letter currency code (EUR, usd); stored in capitals."""
    return serializers.RegexField(
        r"^[A-Za-z]{3}$",
        error_messages={"invalid": "Use a three-letter currency code, e.g. EUR."},
        **kwargs,
    )


HASHTAG_PATTERN = r"^#?\w+$"


def hashtag_list(**kwargs) -> serializers.ListField:
    """Hashtags, with or without the #; stored in lower case without it."""
    return serializers.ListField(
        child=serializers.RegexField(
            HASHTAG_PATTERN,
            max_length=100,
            error_messages={"invalid": "A hashtag has letters, digits and underscores only."},
            help_text=f"With or without the #. {UNICODE_WORD}",
        ),
        required=False,
        **kwargs,
    )


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            platform: {
                "type": "string",
                "pattern": rf"^(@?{HANDLE_PATTERN})?$",
                "maxLength": HANDLE_MAX_LENGTH,
            }
            for platform in Platform.values
        },
        "additionalProperties": False,
        "description": (
            f"Handle per platform, without the @; an empty handle removes it. {UNICODE_WORD}"
        ),
    }
)
class HandlesField(serializers.DictField):
    """Handles as {platform: handle}, read from and written to rows with `platform`, `handle`."""

    child = handle_field(allow_blank=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(Platform.values))
            if unknown:
                raise ValidationError(f"Unknown platform(s): {', '.join(map(str, unknown))}.")
        return super().to_internal_value(data)

    def to_representation(self, handles):
        return {handle.platform: handle.handle for handle in handles.all()}
