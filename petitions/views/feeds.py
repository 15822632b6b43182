"""RSS and Atom feeds of new and answered petitions (django.contrib.syndication)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .. import selectors


class NewPetitionsFeed(Feed):
    title = _("New petitions")
    link = reverse_lazy("petitions:index")
    description = _("Petitions newly open for signatures.")

    def items(self):
        return selectors.newest_published()

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.theme.name] if item.theme else []


class NewPetitionsAtomFeed(NewPetitionsFeed):
    feed_type = Atom1Feed
    subtitle = NewPetitionsFeed.description


class AnsweredPetitionsFeed(Feed):
    title = _("Answered petitions")
    link = reverse_lazy("petitions:index")
    description = _("Petitions that received an official response.")

    def items(self):
        return selectors.newest_answered()

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        response = getattr(item, "official_response", None)
        return response.text[:1000] if response else item.summary

    def item_pubdate(self, item):
        return item.answered_at


class AnsweredPetitionsAtomFeed(AnsweredPetitionsFeed):
    feed_type = Atom1Feed
    subtitle = AnsweredPetitionsFeed.description
