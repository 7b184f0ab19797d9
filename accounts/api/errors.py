"""The API's error contract: one JSON shape for every error, and what each status means.

Every error answers `{"type": ..., "errors": [{"code", "detail", "attr"}]}` (the shape of
drf-standardized-errors), and the status says what kind of mistake it was:

- 400: the request does not match the schema (a missing field, a wrong type, a value out of
  the documented range). A client generated from the schema never sends one.
- 401: no token, or one that is revoked. 403: the role does not allow it.
- 404: no such row in the caller's organisation, or no such path.
- 409: it conflicts with rows that exist (a duplicate name, a brand its campaigns still use).
- 422: it matches the schema but breaks a rule the schema cannot express: dates out of order,
  a deadline in the past, the code of a row the organisation does not have.

Services raise Django's ValidationError; a message without a code, or with the code RULE, is
such a rule (422), one with the code CONFLICT is a conflict (409), and one with a Django code
(max_length, invalid, ...) is a value the serializer should have refused (400).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_standardized_errors.formatter import flatten_errors
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail, ValidationError

from accounts.models import CONFLICT, RULE

# Django's codes for a duplicate; the API calls every duplicate a conflict.
DUPLICATE_CODES = {CONFLICT, "unique", "unique_together"}


def _api_code(code: str | None) -> str:
    if code in DUPLICATE_CODES:
        return CONFLICT
    return RULE if code is None else code


def api_error_detail(error: DjangoValidationError):
    """A service's ValidationError as DRF error details, keeping each message's meaning."""

    def details(errors):
        return [
            ErrorDetail(message, _api_code(single.code)) for single in errors for message in single
        ]

    if hasattr(error, "error_dict"):
        return {field: details(errors) for field, errors in error.error_dict.items()}
    return {"non_field_errors": details(error.error_list)}


def raise_as_api_error(error: DjangoValidationError):
    """Re-raise a service's validation error in the API's shape, field by field."""
    raise ValidationError(api_error_detail(error)) from None


def rule_error(detail: str | dict) -> ValidationError:
    """A serializer's refusal of a value the schema allows (a cross-field rule): a 422."""
    return ValidationError(detail, code=RULE)


class ApiExceptionHandler(ExceptionHandler):
    """drf-standardized-errors' handler, with 409 and 422 told apart from 400 by the codes."""

    def convert_known_exceptions(self, exc):
        exc = super().convert_known_exceptions(exc)
        if isinstance(exc, ValidationError) and exc.status_code == status.HTTP_400_BAD_REQUEST:
            codes = {error.code for error in flatten_errors(exc.detail)}
            if codes and codes <= {CONFLICT}:
                exc.status_code = status.HTTP_409_CONFLICT
            elif codes and codes <= {CONFLICT, RULE}:
                exc.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
        return exc


# --- The error shapes, as the schema documents them --------------------------------------------


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A short, stable code, e.g. required or conflict.")
    detail = serializers.CharField(help_text="What went wrong, in words for a person.")
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field it is about (nested as deliverables.0.count), or null.",
    )


class _Errors(serializers.Serializer):
    errors = ErrorSerializer(many=True)


class BadRequestSerializer(_Errors):
    """400: the request does not match the schema."""

    type = serializers.ChoiceField(choices=["validation_error", "client_error"])


class InvalidDataSerializer(_Errors):
    """409 and 422: well-formed data that conflicts with stored rows or breaks a rule."""

    type = serializers.ChoiceField(choices=["validation_error"])
