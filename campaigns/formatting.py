"""Figures and dates of campaigns as people read them, for pages and messages alike."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def figure(value, places: int) -> str:
    """12,500 with `places` 0; 1,250.50 with 2. Grouped, rounded half up, never a float."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, force_grouping=True)


def day(value: date) -> str:
    """1 Dec 2026: the day without a leading zero, the month in three letters."""
    return f"{value.day} {value:%b %Y}"
