"""Input taken exactly as the schema declares it, no looser.

DRF is lenient on purpose: a CharField takes 5 as "5", an IntegerField takes "5" and 5.0, a
BooleanField takes "yes", a DecimalField takes 5 and "1e3", a DateField takes "20260101", and
strings are trimmed before their length is checked. A client generated from the schema never
sends those, and a server that accepts what its schema refuses is a schema that lies. So every
serializer of the API checks the JSON types (and the few textual formats below) before DRF
converts anything, and the schema (accounts.api.schema) declares the same patterns.
"""

import re

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import empty

NOT_NUL = r"[^\u0000]"
# Text with at least one character that is not a space (and never NUL, which PostgreSQL
# cannot store): the blank check below, as a pattern a JSON Schema validator can use.
NON_BLANK_TEXT_PATTERN = rf"^{NOT_NUL}*[^\s\u0000]{NOT_NUL}*$"
# Text that may be blank. drf-spectacular offers "" as a branch of its own (oneOf), so the
# pattern must not match "" as well: a value matching both branches would break the oneOf.
TEXT_PATTERN = rf"^{NOT_NUL}+$"
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def decimal_pattern(field: serializers.DecimalField) -> str:
    """The text of an amount this field takes: digits, a point, at most its decimal places.

    Negative amounts only where the field allows them; no exponent, no spaces.
    """
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    whole = r"\d+" if field.max_whole_digits is None else rf"\d{{1,{field.max_whole_digits}}}"
    places = rf"(\.\d{{1,{field.decimal_places}}})?" if field.decimal_places else ""
    return rf"^{sign}{whole}{places}$"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def type_error(field: serializers.Field, value) -> str | None:
    """Why `value` (parsed JSON) is not what `field` declares, or None when it is."""
    if value is None:
        return None  # null is the field's own allow_null rule
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else "Send true or false."
    if isinstance(field, serializers.IntegerField):
        return None if _is_int(value) else "Send a whole number."
    if isinstance(field, serializers.DecimalField):
        if isinstance(value, str) and re.fullmatch(decimal_pattern(field), value):
            return None
        if isinstance(value, str) and value.startswith("-") and "-?" not in decimal_pattern(field):
            return "Cannot be negative."
        whole, places = field.max_whole_digits, field.decimal_places
        digits = f"at most {whole} digits before the point and {places} after it, " if whole else ""
        return f"Send the number as text, {digits}e.g. “12.50”."
    if isinstance(field, serializers.DateField):
        if isinstance(value, str) and DATE_RE.fullmatch(value):
            return None
        return "Send a date as YYYY-MM-DD."
    if isinstance(field, serializers.ChoiceField):
        return None if isinstance(value, str) else "Send one of the choices, as text."
    if isinstance(field, serializers.CharField):
        if not isinstance(value, str):
            return "Send text."
        if not field.allow_blank and not value.strip():
            return str(field.error_messages["blank"])
        if field.max_length is not None and len(value) > field.max_length:
            return f"At most {field.max_length} characters."
        return None
    if isinstance(field, serializers.ListField):
        if not isinstance(value, list):
            return "Send a list."
        for position, item in enumerate(value, start=1):
            if error := type_error(field.child, item):
                return f"Item {position}: {error}"
        return None
    if isinstance(field, serializers.DictField):
        if not isinstance(value, dict):
            return "Send an object."
        for key, item in value.items():
            if error := type_error(field.child, item):
                return f"{key}: {error}"
        return None
    if isinstance(field, serializers.ListSerializer):
        return None if isinstance(value, list) else "Send a list."
    if isinstance(field, serializers.Serializer):
        return None if isinstance(value, dict) else "Send an object."
    return None


FORMATTED_TEXT = (serializers.EmailField, serializers.URLField, serializers.RegexField)


class StrictTypesMixin:
    """Refuse, field by field, values whose JSON type or text the schema does not allow."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, FORMATTED_TEXT):
                # The schema's format or pattern refuses spaces around the value: so must we.
                field.trim_whitespace = False
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
