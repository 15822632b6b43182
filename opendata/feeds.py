"""Atom feeds for the participations that have none of their own (petitions publish theirs).

Budgets: each phase of a process as it opens (ideas, vote, results...). Forums: new
discussions in public forums. Titles and summaries only, as on the public pages.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

FEED_SIZE = 30


class BudgetPhasesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Participatory budgets: what opens")
    subtitle = _("Each step of the participatory budgets as it opens: ideas, vote, results, works.")
    link = reverse_lazy("budgets:index")

    def items(self):
        from budgets.models import BudgetPhase

        return list(
            BudgetPhase.objects.filter(enabled=True, starts_at__lte=timezone.now())
            .select_related("process")
            .order_by("-starts_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item) -> str:
        return f"{item.process.title} — {item.get_kind_display()}"

    def item_description(self, item) -> str:
        return item.description or item.process.description[:500]

    def item_link(self, item) -> str:
        from budgets.models import PhaseKind

        if item.kind == PhaseKind.RESULTS:
            return reverse("budgets:results", kwargs={"slug": item.process.slug})
        return item.process.get_absolute_url()

    def item_guid(self, item) -> str:
        return f"budget-phase-{item.pk}"

    def item_pubdate(self, item):
        return item.starts_at


class ForumThreadsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Forums: new discussions")
    subtitle = _("Discussions and debates newly opened in the public forums.")
    link = reverse_lazy("forums:index")

    def items(self):
        from civicplatform.moderation.models import ModerationState
        from forums.models import ForumVisibility, Thread

        return list(
            Thread.objects.filter(forum__visibility=ForumVisibility.PUBLIC, moderation_state=ModerationState.VISIBLE)
            .select_related("forum")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return f"{item.forum.title}"

    def item_pubdate(self, item):
        return item.created_at
