"""Atom feeds for the participations that have none of their own (petitions publish theirs).

Budgets: each phase of a process as it opens (ideas, vote, results...). Forums: new
discussions in public forums. Consultations (questionnaires, local votes, deliberative polls,
opinion maps): each phase as it opens, a notice before it closes, results once public.
Citizen juries: a new jury, each step of its timeline, each draw by lot, the report, the
authority's responses and progress reports. Titles and summaries only, as on the public pages.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.text import format_lazy
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


# ------------------------------------------------------------------------------ consultations and juries
#
# A consultation or a jury has several moments worth announcing (a phase opens, answering is
# about to close, results are out, a panel is drawn), each an entry built from the public
# pages' facts only: titles, questions, dates. Nothing unpublished, no answer, no name.

CLOSING_NOTICE = datetime.timedelta(days=3)


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    description: str
    link: str
    date: datetime.datetime


def _newest(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda entry: (entry.date, entry.guid), reverse=True)[:FEED_SIZE]


def _phase_entries(prefix: str, title: str, description: str, link: str, phases, now) -> list[Entry]:
    """An entry when each phase opens and, for a phase longer than the notice, one shortly before it closes."""
    found = []
    for phase in phases:
        label = phase.get_kind_display()
        if phase.starts_at <= now:
            found.append(
                Entry(
                    f"{prefix}-phase-{phase.pk}-opens",
                    format_lazy(_("{title} — {phase}: open"), title=title, phase=label),
                    description,
                    link,
                    phase.starts_at,
                )
            )
        notice = phase.ends_at - CLOSING_NOTICE
        if phase.starts_at < notice <= now < phase.ends_at:
            found.append(
                Entry(
                    f"{prefix}-phase-{phase.pk}-closing",
                    format_lazy(
                        _("{title} — {phase}: closes on {date}"),
                        title=title,
                        phase=label,
                        date=date_format(timezone.localtime(phase.ends_at), "DATETIME_FORMAT"),
                    ),
                    description,
                    link,
                    notice,
                )
            )
    return found


def consultation_entries(now: datetime.datetime | None = None) -> list[Entry]:
    from consultations.models import Conversation, LocalVote, Questionnaire, ResultsVisibility

    now = now or timezone.now()
    found: list[Entry] = []
    for item in Questionnaire.objects.filter(published=True).prefetch_related("phases"):
        link = item.get_absolute_url()
        found += _phase_entries(f"questionnaire-{item.pk}", item.title, item.summary, link, item.phases.all(), now)
        closes_at = item.closes_at()
        if item.results_visibility == ResultsVisibility.AFTER_CLOSE and item.results_are_public(now) and closes_at:
            found.append(
                Entry(
                    f"questionnaire-{item.pk}-results",
                    format_lazy(_("{title}: results published"), title=item.title),
                    item.summary,
                    reverse("consultations:questionnaire_results", args=[item.slug]),
                    closes_at,
                )
            )
    for item in LocalVote.objects.filter(published=True).prefetch_related("phases"):
        found += _phase_entries(
            f"vote-{item.pk}", item.title, item.question, item.get_absolute_url(), item.phases.all(), now
        )
        phase = item.vote_phase()
        if phase is not None and phase.ends_at <= now:
            found.append(
                Entry(
                    f"vote-{item.pk}-results",
                    format_lazy(_("{title}: results published"), title=item.title),
                    item.question,
                    reverse("consultations:vote_results", args=[item.slug]),
                    phase.ends_at,
                )
            )
    for item in Conversation.objects.filter(published=True).prefetch_related("phases"):
        found += _phase_entries(
            f"conversation-{item.pk}", item.title, item.topic[:500], item.get_absolute_url(), item.phases.all(), now
        )
    return _newest(found)


def jury_entries(now: datetime.datetime | None = None) -> list[Entry]:
    from consultations.juries.models import Jury, RunStatus

    now = now or timezone.now()
    found: list[Entry] = []
    juries = Jury.objects.filter(published=True).prefetch_related("phases", "runs")
    found += _jury_outcome_entries(juries)
    for jury in juries:
        link = jury.get_absolute_url()
        found.append(
            Entry(
                f"jury-{jury.pk}",
                format_lazy(_("New citizen jury: {title}"), title=jury.title),
                jury.question[:500],
                link,
                jury.created_at,
            )
        )
        found += _phase_entries(f"jury-{jury.pk}", jury.title, jury.question[:500], link, jury.phases.all(), now)
        for run in jury.runs.all():
            if run.status == RunStatus.DRAWN and run.drawn_at is not None:
                found.append(
                    Entry(
                        f"jury-run-{run.public_id}",
                        format_lazy(
                            _("{title}: the replacements have been drawn by lot")
                            if run.is_replacement
                            else _("{title}: the panel has been drawn by lot"),
                            title=jury.title,
                        ),
                        jury.question[:500],
                        reverse("juries:run", kwargs={"slug": jury.slug, "run_id": run.public_id}),
                        run.drawn_at,
                    )
                )
    return _newest(found)


def _jury_outcome_entries(juries) -> list[Entry]:
    """The report's publication, each response of the authority and each progress report (three queries)."""
    from consultations.juries.models import AuthorityResponse, JuryReport, ProgressReport

    found: list[Entry] = []
    for report in JuryReport.objects.filter(jury__in=juries, published_at__isnull=False).select_related("jury"):
        found.append(
            Entry(
                f"jury-{report.jury_id}-report",
                format_lazy(_("{title}: the jury's report is published"), title=report.jury.title),
                report.jury.question[:500],
                reverse("juries:response", args=[report.jury.slug]),
                report.published_at,
            )
        )
    published = {"recommendation__jury__in": juries, "recommendation__jury__report__published_at__isnull": False}
    for response in AuthorityResponse.objects.filter(**published).select_related("recommendation__jury"):
        recommendation = response.recommendation
        found.append(
            Entry(
                f"jury-response-{response.pk}",
                format_lazy(
                    _("{title}: the authority answered R{number} ({decision})"),
                    title=recommendation.jury.title,
                    number=recommendation.number,
                    decision=response.get_decision_display(),
                ),
                response.reasons[:500],
                recommendation.get_absolute_url(),
                response.responded_at,
            )
        )
    for progress in ProgressReport.objects.filter(**published).select_related("recommendation__jury"):
        recommendation = progress.recommendation
        found.append(
            Entry(
                f"jury-progress-{progress.pk}",
                format_lazy(
                    _("{title}: progress on R{number} ({status})"),
                    title=recommendation.jury.title,
                    number=recommendation.number,
                    status=progress.get_status_display(),
                ),
                progress.text[:500],
                recommendation.get_absolute_url(),
                progress.created_at,
            )
        )
    return found


class EntriesFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Entry) -> str:
        return str(item.title)

    def item_description(self, item: Entry) -> str:
        return item.description

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return f"urn:civicplatform:{item.guid}"  # an Atom id must be a URI, stable across renames

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry):
        return item.date


class ConsultationsFeed(EntriesFeed):
    title = _("Consultations: what opens, closes and is decided")
    subtitle = _(
        "Questionnaires, local consultations and referendums, deliberative polls and opinion maps: "
        "when they open, shortly before they close, and when their results are published."
    )
    link = reverse_lazy("consultations:index")

    def items(self):
        return consultation_entries()


class JuriesFeed(EntriesFeed):
    title = _("Citizen juries: news")
    # Also the reports, the authority's responses and progress reports (see jury_entries); the
    # subtitle keeps its translated wording until the catalogues are updated.
    subtitle = _("New citizen juries, each step of their timeline as it opens, and each draw by lot.")
    link = reverse_lazy("juries:index")

    def items(self):
        return jury_entries()
