"""A goal's figures shown as its metric is counted."""

from django import template

from campaigns.formatting import figure

register = template.Library()


@register.filter
def goal_value(value, goal) -> str:
    """13,408 followers (never 13,408.14); revenue and rates to the cent: 1,250.50."""
    return "" if value is None else figure(value, goal.decimal_places)
