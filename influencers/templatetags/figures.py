"""Template filters for showing measured figures."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A percentage as published: at least one decimal, no trailing zeros (6.0, 1.745)."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text if "." in text else f"{text}.0"
