"""The OpenAPI schema: every input as strictly as the server takes it, every error listed."""

from django.core.validators import RegexValidator
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsSchema
from rest_framework import serializers

from accounts.api.fields import WEB_ADDRESS_PATTERN, WebAddressField
from accounts.api.strict import (
    NON_BLANK_TEXT_PATTERN,
    TEXT_PATTERN,
    decimal_pattern,
)

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Only writes can conflict with stored rows or break a rule of the product.
WRITE_ONLY_ERRORS = {"409", "422"}


class AutoSchema(StandardizedErrorsSchema):
    """drf-standardized-errors' schema: 409 and 422 on writes only, 400 on every operation,
    and every input with the patterns the server checks."""

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code in WRITE_ONLY_ERRORS and self.method not in WRITE_METHODS:
            return False
        if status_code == "400":
            # Every operation can be sent a malformed query string or body.
            return status_code not in responses
        return super()._should_add_error_response(responses, status_code)

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and not field.read_only and "type" in schema:
            _declare_accepted_text(field, schema)
        return schema


def _declare_accepted_text(field, schema: dict) -> None:
    """Say in the schema what accounts.api.strict checks: text, amounts, web addresses.

    A bound an amount's pattern cannot say (at most 100) is a rule of the service: a 422,
    checked with the other rules so they come back together.
    """
    if isinstance(field, serializers.DecimalField):
        schema["pattern"] = decimal_pattern(field)
    elif isinstance(field, WebAddressField):
        schema["pattern"] = WEB_ADDRESS_PATTERN
    elif (
        type(field) is serializers.CharField
        and schema.get("type") == "string"
        and "pattern" not in schema
        and "format" not in schema
        and not any(isinstance(v, RegexValidator) for v in field.validators)
    ):
        schema["pattern"] = TEXT_PATTERN if field.allow_blank else NON_BLANK_TEXT_PATTERN
