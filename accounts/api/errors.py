"""The API's error contract: one JSON shape for every error, and what each status means.

Every error answers `{"type": ..., "errors": [{"code", "detail", "attr"}]}` (the shape of
drf-standardized-errors), and the status says what kind of mistake it was:

- 400: the request does not match the schema (a missing field, a wrong type, a value out of
  the documented range), or is too large to read.
- 401: no token, or one that is revoked. 403: the role does not allow it.
- 404: no such row in the caller's organisation, or no such path.
- 409: it conflicts with rows that exist (a duplicate name, a brand its campaigns still use).
- 422: it matches the schema but breaks a rule the schema cannot express: dates out of order,
  a deadline in the past, the code of a row the organisation does not have.

Services raise Django's ValidationError; a message without a code, or with the code RULE, is
such a rule (422), one with the code CONFLICT is a conflict (409), and one with a Django code
(max_length, invalid, ...) is a value the serializer should have refused (400).
"""

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from drf_standardized_errors.formatter import flatten_errors
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.settings import api_settings

from accounts.models import CONFLICT, RULE

# Django's and DRF's codes for a duplicate; the API calls every duplicate a conflict.
DUPLICATE_CODES = {"unique", "unique_together"}
CONFLICT_CODES = {CONFLICT, *DUPLICATE_CODES}
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


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
        return {
            # Django files errors about no one field under "__all__"; the API, as DRF does.
            (NON_FIELD if field == NON_FIELD_ERRORS else field): details(errors)
            for field, errors in error.error_dict.items()
        }
    return {NON_FIELD: details(error.error_list)}


def raise_as_api_error(error: DjangoValidationError):
    """Re-raise a service's validation error in the API's shape, field by field."""
    raise ValidationError(api_error_detail(error)) from None


def error_response(status_code: int, code: str, detail: str) -> JsonResponse:
    """An error in the API's shape from outside DRF's views (middleware, Django's handlers)."""
    kind = "server_error" if status_code >= 500 else "client_error"
    error = {"code": code, "detail": detail, "attr": None}
    return JsonResponse({"type": kind, "errors": [error]}, status=status_code)


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def rule_error(detail: str | dict) -> ValidationError:
    """A serializer's refusal of a value the schema allows (a cross-field rule): a 422."""
    return ValidationError(detail, code=RULE)


MSG_SAME_MOMENT = (
    "Another request saved a row like this one at the same moment. Reload, and try again if "
    "it is still needed."
)
MSG_TOO_LARGE = "The request is too large: send less at a time."


def _is_duplicate(error: IntegrityError) -> bool:
    """Whether the database refused a row for a unique key another row holds."""
    code = getattr(error.__cause__, "pgcode", None)  # psycopg2's; PostgreSQL's unique_violation
    return code == "23505" or "UNIQUE constraint failed" in str(error)


class ApiExceptionHandler(ExceptionHandler):
    """drf-standardized-errors' handler, with 409 and 422 told apart from 400 by the codes.

    A duplicate the database refused (two requests saving the same name at once) is a 409
    too, and a request too large to read (Django's upload limits) a 400, not a 500.
    """

    def convert_known_exceptions(self, exc):
        if isinstance(exc, IntegrityError) and _is_duplicate(exc):
            exc = ValidationError({NON_FIELD: [ErrorDetail(MSG_SAME_MOMENT, CONFLICT)]})
        elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
            exc = ValidationError({NON_FIELD: [ErrorDetail(MSG_TOO_LARGE, "too_large")]})
        exc = super().convert_known_exceptions(exc)
        if isinstance(exc, ValidationError) and exc.status_code == status.HTTP_400_BAD_REQUEST:
            codes = {error.code for error in flatten_errors(exc.detail)}
            if codes and codes <= CONFLICT_CODES:
                exc.status_code = status.HTTP_409_CONFLICT
            elif codes and codes <= CONFLICT_CODES | {RULE}:
                exc.status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
        return exc


# --- The error shapes, as the schema documents them --------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """One error: what, in words, and about which field."""

    code = serializers.CharField(help_text="A short, stable code, e.g. required or conflict.")
    detail = serializers.CharField(help_text="What went wrong, in words for a person.")
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field it is about (nested as deliverables.0.count), or null.",
    )


class _Errors(serializers.Serializer):
    """The list of errors every error response carries."""

    errors = ErrorSerializer(many=True)


class BadRequestSerializer(_Errors):
    """400: the request does not match the schema."""

    type = serializers.ChoiceField(choices=["validation_error", "client_error"])


class InvalidDataSerializer(_Errors):
    """409 and 422: well-formed data that conflicts with stored rows or breaks a rule."""

    type = serializers.ChoiceField(choices=["validation_error"])
