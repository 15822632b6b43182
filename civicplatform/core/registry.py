"""What each participation app offers the shared core, without the core importing it.

An app registers, from its AppConfig.ready():
- a navigation section (shown in the main menu, in order),
- a provider of featured participations (shown on the home page),
- which of its models can be reported, followed or commented.

The core, the CMS, search and open data read these registries; adding a tool
is adding one app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str | Promise
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class FeaturedItem:
    """A live participation for the home page: title, one-line summary, link, status label."""

    title: str
    summary: str
    url: str
    kind: str | Promise
    status: str | Promise = ""


FeaturedProvider = Callable[[int], Iterable[FeaturedItem]]

_nav_sections: dict[str, NavSection] = {}
_featured_providers: dict[str, FeaturedProvider] = {}
_capabilities: dict[str, set[type[models.Model]]] = {"reportable": set(), "followable": set(), "commentable": set()}


def register_nav_section(section: NavSection) -> None:
    _nav_sections[section.key] = section


def nav_sections() -> list[NavSection]:
    return sorted(_nav_sections.values(), key=lambda section: (section.order, section.key))


def register_featured_provider(key: str, provider: FeaturedProvider) -> None:
    _featured_providers[key] = provider


def featured_items(limit: int = 6) -> list[FeaturedItem]:
    items: list[FeaturedItem] = []
    for provider in _featured_providers.values():
        items.extend(provider(limit))
    return items[:limit]


def register_capability(capability: str, model: type[models.Model]) -> None:
    _capabilities[capability].add(model)


def has_capability(capability: str, model_or_instance: Any) -> bool:
    model = model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)
    return model._meta.concrete_model in _capabilities[capability]


def models_with(capability: str) -> set[type[models.Model]]:
    return set(_capabilities[capability])


# ------------------------------------------------------------------------------
# Personal data (GDPR): what each app holds about a person, and how it forgets them
# ------------------------------------------------------------------------------
# An exporter returns the rows an app keeps about `user`, as flat dicts of
# JSON-serialisable values (str, int, float, bool, None, date, datetime,
# Decimal, UUID); the "download my data" archive gets one JSON section and one
# CSV file per key. Rows must only contain what the person may see about
# themselves: never other people's personal data.
PersonalDataExporter = Callable[[Any], list[dict[str, Any]]]
# An erasure hook is called with the user inside the account-erasure
# transaction, before the account's own fields are wiped; it deletes or
# anonymises what its app holds (contributions stay, pointing at the erased
# account, which displays as "Deleted participant"). Raising aborts the erasure.
ErasureHook = Callable[[Any], None]

_personal_data_exporters: dict[str, PersonalDataExporter] = {}
_erasure_hooks: dict[str, ErasureHook] = {}


def register_personal_data(key: str, exporter: PersonalDataExporter) -> None:
    """Register an exporter under a short dataset name, e.g. "petitions.signatures"."""
    _personal_data_exporters[key] = exporter


def personal_data_exporters() -> dict[str, PersonalDataExporter]:
    return dict(sorted(_personal_data_exporters.items()))


def register_erasure_hook(key: str, hook: ErasureHook) -> None:
    """Register what must happen to an app's data when a person deletes their account."""
    _erasure_hooks[key] = hook


def erasure_hooks() -> dict[str, ErasureHook]:
    return dict(sorted(_erasure_hooks.items()))


# ------------------------------------------------------------------------------
# Private spaces: places some people may not see even as site-wide moderators
# ------------------------------------------------------------------------------
# A members-only forum (a citizens' jury deliberating) is private to its members and
# staff. Each provider returns, for a person who is not staff, the spaces they may not
# see as (content type id, primary key as text) pairs; moderation leaves their reported
# content out of that person's queue and refuses them its moderation pages.
PrivateSpacesProvider = Callable[[Any], Iterable[tuple[int, str]]]

_private_spaces_providers: list[PrivateSpacesProvider] = []


def register_private_spaces(provider: PrivateSpacesProvider) -> None:
    if provider not in _private_spaces_providers:
        _private_spaces_providers.append(provider)


def private_spaces_hidden_from(user: Any) -> set[tuple[int, str]]:
    if getattr(user, "is_staff", False):
        return set()
    return {space for provider in _private_spaces_providers for space in provider(user)}
