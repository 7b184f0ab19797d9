"""Input taken exactly as the schema declares it, no looser.

DRF is lenient on purpose: a CharField takes 5 as "5", an IntegerField takes "5" and 5.0, a
BooleanField takes "yes", a DecimalField takes 5, "1e3" and "１２", a DateField takes
"20260101", and strings are trimmed before their length is checked. A client generated from
the schema never sends those, and a server that accepts what its schema refuses is a schema
that lies. So every serializer of the API checks the JSON types (and the few textual formats
below) before DRF converts anything, and the schema (accounts.api.schema) declares the same
patterns.

The patterns are written so that Python and JavaScript (ECMA-262, which OpenAPI's patterns
follow) read them alike: digits as [0-9], never \\d (Unicode digits to Python), and spaces as
the explicit list of characters Python's str.strip() removes, never \\s (a different list in
each).
"""

import re

from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.fields import empty

# Every character str.isspace() calls a space: what DRF's blank check strips.
SPACES = "".join(f"\\u{code:04x}" for code in range(0x3001) if chr(code).isspace())
NOT_NUL = r"[^\u0000]"
# Text with at least one character that is not a space (and never NUL, which PostgreSQL
# cannot store): the blank check below, as a pattern a JSON Schema validator can use.
NON_BLANK_TEXT_PATTERN = rf"^{NOT_NUL}*[^{SPACES}\u0000]{NOT_NUL}*$"
# Text that may be blank. drf-spectacular offers "" as a branch of its own (oneOf), so the
# pattern must not match "" as well: a value matching both branches would break the oneOf.
TEXT_PATTERN = rf"^{NOT_NUL}+$"
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def decimal_pattern(field: serializers.DecimalField) -> str:
    """The text of an amount this field takes: digits, a point, at most its decimal places.

    Negative amounts only where the field allows them; no exponent, no spaces.
    """
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    whole = "[0-9]+" if field.max_whole_digits is None else f"[0-9]{{1,{field.max_whole_digits}}}"
    places = rf"(\.[0-9]{{1,{field.decimal_places}}})?" if field.decimal_places else ""
    return rf"^{sign}{whole}{places}$"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _refused(message: str, code: str = "invalid") -> ErrorDetail:
    return ErrorDetail(message, code)


def type_error(field: serializers.Field, value) -> ErrorDetail | None:
    """Why `value` (parsed JSON) is not what `field` declares, or None when it is."""
    if value is None:
        return None  # null is the field's own allow_null rule
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _refused("Send true or false.")
    if isinstance(field, serializers.IntegerField):
        return None if _is_int(value) else _refused("Send a whole number.")
    if isinstance(field, serializers.DecimalField):
        return _decimal_error(field, value)
    if isinstance(field, serializers.DateField):
        if isinstance(value, str) and DATE_RE.fullmatch(value):
            return None
        return _refused("Send a date as YYYY-MM-DD.")
    if isinstance(field, serializers.ChoiceField):
        return None if isinstance(value, str) else _refused("Send one of the choices, as text.")
    if isinstance(field, serializers.CharField):
        return _text_error(field, value)
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return _refused("Send a list.")
        for position, item in enumerate(value, start=1):
            if error := type_error(field.child, item):
                return _refused(f"Item {position}: {error}", error.code)
        return None
    if isinstance(field, serializers.DictField):
        if not isinstance(value, dict):
            return _refused("Send an object.")
        for key, item in value.items():
            if error := type_error(field.child, item):
                return _refused(f"{key}: {error}", error.code)
        return None
    if isinstance(field, serializers.ListSerializer):
        return None if isinstance(value, list) else _refused("Send a list.")
    if isinstance(field, serializers.Serializer):
        return None if isinstance(value, dict) else _refused("Send an object.")
    return None


def _decimal_error(field: serializers.DecimalField, value) -> ErrorDetail | None:
    pattern = decimal_pattern(field)
    if isinstance(value, str) and re.fullmatch(pattern, value):
        return None
    if isinstance(value, str) and value.startswith("-") and "-?" not in pattern:
        return _refused("Cannot be negative.", "min_value")
    whole, places = field.max_whole_digits, field.decimal_places
    digits = f"at most {whole} digits before the point and {places} after it, " if whole else ""
    return _refused(f"Send the number as text, {digits}e.g. “12.50”.")


def _text_error(field: serializers.CharField, value) -> ErrorDetail | None:
    if not isinstance(value, str):
        return _refused("Send text.")
    if not field.allow_blank and not value.strip():
        return _refused(str(field.error_messages["blank"]), "blank")
    if field.max_length is not None and len(value) > field.max_length:
        return _refused(f"At most {field.max_length} characters.", "max_length")
    return None


FORMATTED_TEXT = (serializers.EmailField, serializers.URLField, serializers.RegexField)


def _keep_spaces(field: serializers.Field) -> None:
    """A format or pattern refuses spaces around the value: so must the field, not trim them."""
    has_pattern = any(isinstance(v, RegexValidator) for v in field.validators)
    if isinstance(field, FORMATTED_TEXT) or (
        isinstance(field, serializers.CharField) and has_pattern
    ):
        field.trim_whitespace = False
    if isinstance(field, serializers.ListField | serializers.DictField):
        _keep_spaces(field.child)


class StrictTypesMixin:
    """Refuse, field by field, values whose JSON type or text the schema does not allow."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            _keep_spaces(field)
        return fields

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            return super().to_internal_value(data)
        errors = {}
        for name, field in self.fields.items():
            value = data.get(name, empty)
            if not field.read_only and value is not empty and (error := type_error(field, value)):
                errors[name] = [error]
        if not errors:
            return super().to_internal_value(data)
        # The other fields are still checked, so every error comes back in one answer.
        try:
            super().to_internal_value({k: v for k, v in data.items() if k not in errors})
        except ValidationError as error:
            errors = {**error.detail, **errors}
        raise ValidationError(errors)


class StrictSerializer(StrictTypesMixin, serializers.Serializer):
    """A plain serializer of API input, checked as strictly as the schema says."""
