from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def euros(value: Any) -> str:
    """A whole number of euros, grouped the local way: "500 000 €" in French."""
    if value is None or value == "":
        return ""
    return _("%(amount)s €") % {"amount": formats.number_format(int(value), force_grouping=True)}


@register.filter
def in_set(value: Any, collection: Any) -> bool:
    """`{{ project.pk|in_set:supported }}`: membership, for the ids a view computed in one query."""
    return value in collection
