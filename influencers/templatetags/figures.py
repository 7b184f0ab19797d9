"""Template filters for showing measured figures."""

from decimal import Decimal

from django import template

from accounts.models import Platform

register = template.Library()


@register.filter
def percent(value) -> str:
    """A percentage as published: at least one decimal, no trailing zeros (6.0, 1.745)."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text if "." in text else f"{text}.0"


@register.filter
def platform_names(codes) -> str:
    """["instagram", "tiktok"] as people read them: "Instagram, TikTok"."""
    labels = dict(Platform.choices)
    ordered = sorted(codes) if isinstance(codes, set | frozenset) else codes or ()
    return ", ".join(labels.get(code, code) for code in ordered)
