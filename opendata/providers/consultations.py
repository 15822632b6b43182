"""Consultations: questionnaire results, local votes, deliberative polls and opinion maps.

Only what the consultations app already shows the public is published, and only as
counts or statistics: questionnaires whose results are public (free text is left out,
even the answers a moderator published), local consultations and referendums once
closed, deliberative polls on their panelists who answered both waves, and the groups
of an opinion map as sizes and agreement counts per statement. Nobody's answers, votes
or account appear; counts of people below OPENDATA_MIN_COUNT are left empty, and the
statistics of a panel smaller than that are not published.

The official results of a local vote (yes, no, blank, turnout, quorum) are published
exactly, as the app's results page and the town hall's minutes do.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from opendata.registry import ColumnType as T
from opendata.registry import (
    Dataset,
    Link,
    Rows,
    columns,
    register_dataset,
    register_feeds,
    register_outcomes,
    register_participation,
    register_widgets,
)
from opendata.suppression import min_count

# ------------------------------------------------------------------------------ questionnaires


def _public_questionnaires(*, deliberative: bool | None = None) -> list:
    from consultations.models import Questionnaire, QuestionnaireKind

    items = Questionnaire.objects.filter(published=True).prefetch_related("phases").order_by("created_at", "pk")
    if deliberative is not None:
        kind = QuestionnaireKind.DELIBERATIVE if deliberative else QuestionnaireKind.SURVEY
        items = items.filter(kind=kind)
    now = timezone.now()
    return [item for item in items if item.results_are_public(now)]


def questionnaire_rows() -> Rows:
    """One row per answer (option, scale value, rank, matrix cell) of each question and wave."""
    from consultations.models import Answer, Question, QuestionKind, Wave

    questionnaires = {item.pk: item for item in _public_questionnaires()}
    questions = list(
        Question.objects.filter(section__questionnaire__in=list(questionnaires))
        .exclude(kind=QuestionKind.TEXT)
        .select_related("section")
        .prefetch_related("options")
        .order_by("section__questionnaire_id", "section__sort_order", "section_id", "sort_order", "pk")
    )
    ids = [question.pk for question in questions]
    counts = (
        Answer.objects.filter(question__in=ids)
        .values_list("question_id", "response__wave", "row_id", "option_id", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[tuple, int] = {(q, w, r, o, v): n for q, w, r, o, v, n in counts}
    respondents = {
        (q, w): n
        for q, w, n in Answer.objects.filter(question__in=ids)
        .values_list("question_id", "response__wave")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    }
    waves = {(q, w) for q, w in respondents}
    rows: Rows = []
    position: dict[int, int] = defaultdict(int)
    for question in questions:
        questionnaire = questionnaires[question.section.questionnaire_id]
        position[questionnaire.pk] += 1
        options = list(question.options.all())
        columns_ = [option for option in options if not option.is_row]
        matrix_rows = [option for option in options if option.is_row] or [None]
        for wave in Wave.values:
            if (question.pk, wave) not in waves:
                continue
            base = {
                "questionnaire": questionnaire.slug,
                "questionnaire_title": questionnaire.title,
                "questionnaire_kind": questionnaire.kind,
                "question_number": position[questionnaire.pk],
                "question": question.text,
                "question_kind": question.kind,
                "wave": wave,
                "respondents": respondents[(question.pk, wave)],
            }
            if question.kind == QuestionKind.SCALE:
                cells = [(None, str(value), None, None, value) for value in question.scale_values()]
            elif question.kind == QuestionKind.RANKING:
                cells = [
                    (None, option.text, rank, option.pk, rank)
                    for option in columns_
                    for rank in range(1, len(columns_) + 1)
                ]
            else:
                cells = [(row, option.text, None, option.pk, None) for row in matrix_rows for option in columns_]
            for row, answer, rank, option_id, value in cells:
                row_id = row.pk if row else None
                rows.append(
                    {
                        **base,
                        "row": row.text if row else "",
                        "answer": answer,
                        "rank": rank,
                        "answers": found.get((question.pk, wave, row_id, option_id, value), 0),
                    }
                )
    return rows


# ------------------------------------------------------------------------------ local votes


def _closed_votes() -> list:
    from consultations.models import LocalVote

    now = timezone.now()
    items = LocalVote.objects.filter(published=True).prefetch_related("phases").order_by("deliberation_date", "pk")
    return [vote for vote in items if vote.is_closed(now)]


def vote_rows() -> Rows:
    from consultations.votes import local_vote_results

    rows: Rows = []
    for vote in _closed_votes():
        results = local_vote_results(vote)
        phase = vote.vote_phase()
        rows.append(
            {
                "vote": vote.slug,
                "title": vote.title,
                "kind": vote.kind,
                "question": vote.question,
                "deliberation": vote.deliberation_reference,
                "deliberation_date": vote.deliberation_date,
                "opened_at": phase.starts_at if phase else None,
                "closed_at": phase.ends_at if phase else None,
                "registered": results.registered,
                "ballots": results.ballots,
                "yes": results.yes,
                "no": results.no,
                "blank": results.blank,
                "turnout_percent": results.turnout,
                "yes_percent": results.yes_share,
                "quorum_met": results.quorum_met,
                "adopted": results.adopted if vote.is_referendum else None,
                "url": vote.get_absolute_url(),
            }
        )
    return rows


# ------------------------------------------------------------------------------ deliberative polls


def _polls() -> list:
    return _public_questionnaires(deliberative=True)


def shift_rows() -> Rows:
    """The paired before/after comparison each poll's results page shows, panels of at least
    OPENDATA_MIN_COUNT panelists only (a mean of three people's answers is theirs)."""
    from consultations.deliberation import deliberation_analysis

    rows: Rows = []
    for poll in _polls():
        analysis = deliberation_analysis(poll)
        if analysis.paired < min_count():
            continue
        base = {"poll": poll.slug, "poll_title": poll.title, "paired_panelists": analysis.paired}
        lines = [("opinion", shift.question.text, row) for shift in analysis.shifts for row in shift.rows]
        if analysis.knowledge:
            lines += [("knowledge", row.label, row) for row in analysis.knowledge.per_question]
        for measure, question, row in lines:
            rows.append(
                {
                    **base,
                    "measure": measure,
                    "question": question,
                    "answer": "" if row.unit == "mean" or row.label == question else row.label,
                    "unit": row.unit,
                    "before": row.before,
                    "after": row.after,
                    "shift": row.shift,
                    "p_value": round(row.p_value, 6),
                    "significant": row.significant,
                }
            )
    return rows


def _paired_answers(poll) -> tuple[dict, list[int]]:
    from consultations.deliberation import _answers_by_person
    from consultations.models import Wave

    data, _paired, _before_only = _answers_by_person(poll)
    people = sorted(set(data[Wave.BEFORE]) & set(data[Wave.AFTER]))
    return data, people


def distribution_rows() -> Rows:
    """How many paired panelists gave each answer before and after, per opinion question."""
    from consultations.models import QuestionKind, Wave
    from consultations.selectors import questionnaire_structure

    rows: Rows = []
    for poll in _polls():
        data, people = _paired_answers(poll)
        if not people:
            continue
        questions = [q for view in questionnaire_structure(poll) for q in view.questions if not q.after_only]
        for question in questions:
            if question.kind == QuestionKind.SCALE:
                cells = [
                    (str(value), lambda answers, v=value: any(a == v for _o, a in answers))
                    for value in question.scale_values()
                ]
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                cells = [
                    (option.text, lambda answers, pk=option.pk: any(o == pk for o, _v in answers))
                    for option in question.options.all()
                    if not option.is_row
                ]
            else:
                continue
            for wave in (Wave.BEFORE, Wave.AFTER):
                answered = [data[wave][p][question.pk] for p in people if data[wave][p].get(question.pk)]
                for answer, chosen in cells:
                    rows.append(
                        {
                            "poll": poll.slug,
                            "question": question.text,
                            "knowledge": question.is_knowledge,
                            "wave": wave,
                            "answer": answer,
                            "panelists": sum(1 for answers in answered if chosen(answers)),
                            "answered": len(answered),
                        }
                    )
    return rows


def opinion_change_outcomes() -> list[tuple[str, int, int | None]]:
    """For the impact dashboard, per poll: (poll title, paired panelists who changed their answer to at
    least one opinion question, paired panelists). Panels below the publication threshold are left out."""
    from consultations.models import QuestionKind, Wave
    from consultations.selectors import questionnaire_structure

    opinion_kinds = {QuestionKind.SCALE, QuestionKind.SINGLE, QuestionKind.MULTIPLE}
    totals: list[tuple[str, int, int | None]] = []
    for poll in _polls():
        data, people = _paired_answers(poll)
        if len(people) < min_count():
            continue
        questions = [
            question.pk
            for view in questionnaire_structure(poll)
            for question in view.questions
            if question.kind in opinion_kinds and not question.is_knowledge and not question.after_only
        ]
        if not questions:
            continue
        changed = 0
        for person in people:
            before, after = data[Wave.BEFORE][person], data[Wave.AFTER][person]
            changed += any(
                before.get(pk) and after.get(pk) and sorted(before[pk]) != sorted(after[pk]) for pk in questions
            )
        totals.append((poll.title, changed, len(people)))
    return totals


# ------------------------------------------------------------------------------ opinion maps


def _grouped_conversations() -> list:
    from consultations.models import OpinionGrouping

    return list(
        OpinionGrouping.objects.filter(conversation__published=True)
        .select_related("conversation")
        .order_by("conversation__created_at", "conversation_id")
    )


def group_rows() -> Rows:
    from consultations.opinion_selectors import GROUP_NAMES

    rows: Rows = []
    for grouping in _grouped_conversations():
        for group in grouping.data.get("groups", []):
            rows.append(
                {
                    "conversation": grouping.conversation.slug,
                    "group": GROUP_NAMES[group["index"]],
                    "participants": group["size"],
                    "participants_grouped": grouping.participants,
                    "computed_at": grouping.computed_at,
                }
            )
    return rows


def statement_rows() -> Rows:
    """Agree / disagree / pass counts per visible statement, for everyone ("" group) then for each
    opinion group of the last grouping. Who voted what stays inside this computation."""
    from civicplatform.moderation.models import ModerationState
    from consultations.models import Conversation, Statement, StatementVote, VoteValue
    from consultations.opinion_selectors import GROUP_NAMES

    conversations = {c.pk: c for c in Conversation.objects.filter(published=True).order_by("created_at", "pk")}
    statements = list(
        Statement.objects.filter(conversation__in=list(conversations), moderation_state=ModerationState.VISIBLE)
        .order_by("conversation_id", "pk")
        .values_list("pk", "conversation_id", "text", "is_seed")
    )
    group_of: dict[int, dict[int, str]] = {}
    for grouping in _grouped_conversations():
        data = grouping.data
        group_of[grouping.conversation_id] = {
            participant: GROUP_NAMES[point[2]]
            for participant, point in zip(data.get("participants", []), data.get("points", []), strict=False)
        }
    counts: dict[tuple[int, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    votes = StatementVote.objects.filter(statement__in=[s[0] for s in statements]).values_list(
        "statement_id", "conversation_id", "participant_id", "value"
    )
    for statement_id, conversation_id, participant_id, value in votes.iterator(chunk_size=5000):
        counts[(statement_id, "")][value] += 1
        group = group_of.get(conversation_id, {}).get(participant_id)
        if group:
            counts[(statement_id, group)][value] += 1
    rows: Rows = []
    for pk, conversation_id, text, is_seed in statements:
        groups = sorted({g for (s, g) in counts if s == pk and g})
        for group in ["", *groups]:
            found = counts.get((pk, group), {})
            rows.append(
                {
                    "conversation": conversations[conversation_id].slug,
                    "statement": pk,
                    "text": text,
                    "by_organisers": is_seed,
                    "group": group,
                    "agree": found.get(VoteValue.AGREE, 0),
                    "disagree": found.get(VoteValue.DISAGREE, 0),
                    "pass": found.get(VoteValue.PASS, 0),
                }
            )
    return rows


# ------------------------------------------------------------------------------ registration


def last_change() -> datetime.datetime | None:
    from consultations.models import Response

    return Response.objects.aggregate(last=Max("updated_at"))["last"]


def last_vote_change() -> datetime.datetime | None:
    closed = [vote.vote_phase() for vote in _closed_votes()]
    return max((phase.ends_at for phase in closed if phase), default=None)


def last_grouping() -> datetime.datetime | None:
    from consultations.models import OpinionGrouping

    return OpinionGrouping.objects.aggregate(last=Max("computed_at"))["last"]


SMALL = _("Counts from 1 to the publication threshold are left empty.")


def feed_links() -> list[Link]:
    from opendata.feeds import ConsultationsFeed

    return [Link("consultation", str(ConsultationsFeed.title), reverse("opendata:feed_consultations"))]


def widget_links() -> list[Link]:
    """One result widget per closed (published) local consultation or referendum."""
    from consultations.models import LocalVote

    votes = LocalVote.objects.filter(published=True).prefetch_related("phases").order_by("-created_at", "-pk")
    return [
        Link("consultation", vote.title, reverse("opendata:widget_vote", kwargs={"slug": vote.slug}))
        for vote in votes
        if vote.is_closed()
    ]


def register() -> None:
    register_feeds("consultations", feed_links)
    register_widgets("consultations", widget_links)
    register_participation("consultation", _("Consultations"), order=25)
    register_outcomes("opinion_change", opinion_change_outcomes)
    register_dataset(
        Dataset(
            key="consultations-questionnaire-results",
            participation="consultation",
            title=_("Questionnaire results"),
            description=_(
                "For every published questionnaire and deliberative poll whose results are public: how many "
                "people gave each answer to each question, per wave (a poll is answered before and after the "
                "deliberation). Ranking questions give the number of people who put the option at each rank. "
                "Free-text answers are not included."
            ),
            columns=columns(
                ("questionnaire", T.STRING, _("Questionnaire identifier")),
                ("questionnaire_title", T.STRING, _("Questionnaire")),
                ("questionnaire_kind", T.STRING, _("Kind: survey or deliberative poll")),
                ("question_number", T.INTEGER, _("Question number")),
                ("question", T.STRING, _("Question")),
                ("question_kind", T.STRING, _("Question type")),
                ("wave", T.STRING, _("Wave: single, before or after the deliberation")),
                ("row", T.STRING, _("Row of a matrix question")),
                ("answer", T.STRING, _("Answer (option or scale value)")),
                ("rank", T.INTEGER, _("Rank given (ranking questions)")),
                ("answers", T.INTEGER, _("People who gave this answer (empty: fewer than the threshold)")),
                ("respondents", T.INTEGER, _("People who answered the question (empty: fewer than the threshold)")),
            ),
            rows=questionnaire_rows,
            suppressed=("answers", "respondents"),
            suppression_groups=("questionnaire", "question_number", "wave", "row", "rank"),
            keywords=("consultation", "questionnaire"),
            modified=last_change,
            order=10,
        )
    )
    register_dataset(
        Dataset(
            key="consultations-local-votes",
            participation="consultation",
            title=_("Local consultations and referendums"),
            description=_(
                "Official results of every closed local consultation (article L1112-15 CGCT) and local "
                "referendum (article LO1112-1): registered electors, ballots, yes, no and blank votes, turnout "
                "and whether the quorum of half the registered electors was met. A referendum is adopted with "
                "the quorum and a majority of the votes cast. Results are exact, as in the official minutes."
            ),
            columns=columns(
                ("vote", T.STRING, _("Vote identifier")),
                ("title", T.STRING, _("Title")),
                ("kind", T.STRING, _("Kind: consultation or referendum")),
                ("question", T.STRING, _("Question put to the electors")),
                ("deliberation", T.STRING, _("Council deliberation")),
                ("deliberation_date", T.DATE, _("Date of the deliberation")),
                ("opened_at", T.DATETIME, _("Voting opened on")),
                ("closed_at", T.DATETIME, _("Voting closed on")),
                ("registered", T.INTEGER, _("Registered electors")),
                ("ballots", T.INTEGER, _("Ballots (including blank)")),
                ("yes", T.INTEGER, _("Yes")),
                ("no", T.INTEGER, _("No")),
                ("blank", T.INTEGER, _("Blank")),
                ("turnout_percent", T.NUMBER, _("Turnout (% of registered electors)")),
                ("yes_percent", T.NUMBER, _("Yes (% of votes cast)")),
                ("quorum_met", T.BOOLEAN, _("Quorum met")),
                ("adopted", T.BOOLEAN, _("Adopted (referendums only)")),
                ("url", T.STRING, _("Page of the vote")),
            ),
            rows=vote_rows,
            keywords=("référendum local", "consultation locale"),
            modified=last_vote_change,
            order=20,
        )
    )
    register_dataset(
        Dataset(
            key="consultations-deliberative-shifts",
            participation="consultation",
            title=_("Deliberative polls: opinion change"),
            description=_(
                "For every deliberative poll whose results are public, on the panelists who answered before and "
                "after the deliberation: the mean of each scale question or the share choosing each option, "
                "before, after, the change and its p-value (Wilcoxon signed-rank test for means, exact sign "
                "test for shares), then the share of right answers to each knowledge question. Panels with "
                "fewer panelists than the publication threshold are not included."
            ),
            columns=columns(
                ("poll", T.STRING, _("Poll identifier")),
                ("poll_title", T.STRING, _("Poll")),
                ("paired_panelists", T.INTEGER, _("Panelists who answered both waves")),
                ("measure", T.STRING, _("Measure: opinion or knowledge")),
                ("question", T.STRING, _("Question")),
                ("answer", T.STRING, _("Option (choice questions)")),
                ("unit", T.STRING, _("Unit: mean of the scale or percent")),
                ("before", T.NUMBER, _("Before the deliberation")),
                ("after", T.NUMBER, _("After the deliberation")),
                ("shift", T.NUMBER, _("Change after the deliberation")),
                ("p_value", T.NUMBER, _("p-value of the change")),
                ("significant", T.BOOLEAN, _("Significant at 5 %")),
            ),
            rows=shift_rows,
            keywords=("sondage délibératif", "délibération"),
            modified=last_change,
            order=30,
        )
    )
    register_dataset(
        Dataset(
            key="consultations-deliberative-distributions",
            participation="consultation",
            title=_("Deliberative polls: answers before and after"),
            description=format_lazy(
                "{} {}",
                _(
                    "For every deliberative poll whose results are public: how many of the panelists who answered "
                    "both waves gave each answer, before and after the deliberation."
                ),
                SMALL,
            ),
            columns=columns(
                ("poll", T.STRING, _("Poll identifier")),
                ("question", T.STRING, _("Question")),
                ("knowledge", T.BOOLEAN, _("Knowledge question")),
                ("wave", T.STRING, _("Wave: before or after the deliberation")),
                ("answer", T.STRING, _("Answer (option or scale value)")),
                ("panelists", T.INTEGER, _("Panelists who gave this answer (empty: fewer than the threshold)")),
                ("answered", T.INTEGER, _("Panelists who answered the question (empty: fewer than the threshold)")),
            ),
            rows=distribution_rows,
            suppressed=("panelists", "answered"),
            suppression_groups=("poll", "question", "wave"),
            keywords=("sondage délibératif", "délibération"),
            modified=last_change,
            order=40,
        )
    )
    register_dataset(
        Dataset(
            key="consultations-opinion-groups",
            participation="consultation",
            title=_("Opinion maps: groups"),
            description=format_lazy(
                "{} {}",
                _(
                    "For every published opinion map, the groups of participants who voted alike on the statements "
                    "(last computation): size of each group."
                ),
                SMALL,
            ),
            columns=columns(
                ("conversation", T.STRING, _("Opinion map identifier")),
                ("group", T.STRING, _("Group")),
                ("participants", T.INTEGER, _("Participants in the group (empty: fewer than the threshold)")),
                ("participants_grouped", T.INTEGER, _("Participants grouped")),
                ("computed_at", T.DATETIME, _("Computed on")),
            ),
            rows=group_rows,
            suppressed=("participants",),
            suppression_groups=("conversation",),
            keywords=("carte d'opinion", "consultation"),
            modified=last_grouping,
            order=50,
        )
    )
    register_dataset(
        Dataset(
            key="consultations-opinion-statements",
            participation="consultation",
            title=_("Opinion maps: agreement with each statement"),
            description=format_lazy(
                "{} {}",
                _(
                    "For every visible statement of a published opinion map: agree, disagree and pass votes of "
                    "everyone (empty group) and of each opinion group. No author or voter is named."
                ),
                SMALL,
            ),
            columns=columns(
                ("conversation", T.STRING, _("Opinion map identifier")),
                ("statement", T.INTEGER, _("Statement number")),
                ("text", T.STRING, _("Statement")),
                ("by_organisers", T.BOOLEAN, _("Written by the organisers")),
                ("group", T.STRING, _("Group (empty: everyone)")),
                ("agree", T.INTEGER, _("Agree (empty: fewer than the threshold)")),
                ("disagree", T.INTEGER, _("Disagree (empty: fewer than the threshold)")),
                ("pass", T.INTEGER, _("Pass (empty: fewer than the threshold)")),
            ),
            rows=statement_rows,
            suppressed=("agree", "disagree", "pass"),
            suppression_groups=("conversation", "statement"),
            keywords=("carte d'opinion", "consultation"),
            modified=last_grouping,
            order=60,
        )
    )
