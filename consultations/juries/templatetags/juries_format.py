"""Formatting for jury pages: dates with the French ordinal "1er", probabilities as percentages."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language

register = template.Library()


@register.filter(expects_localtime=True)
def day_date(value, arg: str = "j F Y") -> str:
    """Like the `date` filter, but the first day of a month reads "1er" in French ("1er avril 2026")."""
    if not value:
        return ""
    if getattr(value, "day", None) == 1 and (get_language() or "").startswith("fr"):
        arg = arg.replace("j", r"j\e\r", 1)
    return date_filter(value, arg)


@register.filter
def percent(value, decimals: int = 2) -> str:
    """A fraction (0.2345) as a localised percentage number ("23,45" in French); the template adds " %"."""
    if value is None or value == "":
        return ""
    return floatformat(float(value) * 100, decimals)
