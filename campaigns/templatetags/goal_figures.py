"""A goal's figures shown as its metric is counted."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def goal_value(value, goal) -> str:
    """13,408 followers (never 13,408.14); revenue and rates to the cent: 1,250.50."""
    if value is None:
        return ""
    places = goal.decimal_places
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, force_grouping=True)
