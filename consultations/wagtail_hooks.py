"""Staff build consultations in the Wagtail admin (Snippets): questionnaires with their
answering phases and sections, then their questions with options; local consultations and
referendums with their polling period; opinion maps. Moderation of free-text answers,
exports and paper ballots have their own pages, linked from each public page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Conversation, LocalVote, Question, Questionnaire

_who = MultiFieldPanel(
    [FieldPanel("min_verification_level"), FieldPanel("min_age"), FieldPanel("restricted_districts")],
    heading=_("Who may take part"),
)
_phase_fields = [FieldPanel("kind"), FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")])]


class QuestionnaireViewSet(SnippetViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = _("Questionnaires")
    list_display = ["title", "kind", "published", "created_at"]
    list_filter = ["kind", "published"]
    search_backend_name = None
    search_fields = ["title", "slug"]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("open_to_anyone"),
                FieldPanel("editable"),
                FieldPanel("results_visibility"),
                FieldPanel("published"),
            ],
            heading=_("Answering and results"),
        ),
        _who,
        InlinePanel("phases", heading=_("Answering phases"), label=_("phase"), panels=_phase_fields),
        InlinePanel(
            "sections",
            heading=_("Sections"),
            label=_("section"),
            panels=[FieldPanel("title"), FieldPanel("description"), FieldPanel("sort_order")],
        ),
        InlinePanel(
            "panel",
            heading=_("Deliberative poll: panel"),
            label=_("panel member"),
            panels=[FieldPanel("person"), FieldPanel("source")],
        ),
        InlinePanel(
            "events",
            heading=_("Deliberative poll: sessions and hearings"),
            label=_("session or hearing"),
            panels=[
                FieldPanel("kind"),
                FieldPanel("title"),
                FieldPanel("starts_at"),
                FieldPanel("place"),
                FieldPanel("speakers"),
                FieldPanel("description"),
            ],
        ),
        InlinePanel(
            "briefings",
            heading=_("Deliberative poll: briefing materials"),
            label=_("briefing document"),
            panels=[FieldPanel("title"), FieldPanel("summary"), FieldPanel("url"), FieldPanel("sort_order")],
        ),
    ]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["text", "section", "kind", "required", "sort_order"]
    list_filter = ["kind", "section__questionnaire"]
    ordering = ["section__questionnaire", "section__sort_order", "sort_order"]
    search_backend_name = None
    search_fields = ["text"]
    panels = [
        FieldPanel("section"),
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("sort_order")]),
        MultiFieldPanel(
            [
                FieldPanel("max_choices"),
                FieldRowPanel([FieldPanel("scale_min"), FieldPanel("scale_max")]),
                FieldRowPanel([FieldPanel("scale_min_label"), FieldPanel("scale_max_label")]),
                FieldPanel("max_length"),
            ],
            heading=_("Limits"),
        ),
        MultiFieldPanel([FieldPanel("is_knowledge"), FieldPanel("after_only")], heading=_("Deliberative poll")),
        InlinePanel(
            "options",
            heading=_("Options (for a matrix: tick “matrix row” for the rows, the others are the columns)"),
            label=_("option"),
            panels=[FieldPanel("text"), FieldPanel("is_row"), FieldPanel("is_correct"), FieldPanel("sort_order")],
        ),
    ]


class LocalVoteViewSet(SnippetViewSet):
    model = LocalVote
    icon = "tasks"
    menu_label = _("Consultations and referendums")
    list_display = ["title", "kind", "published", "created_at"]
    list_filter = ["kind", "published"]
    search_backend_name = None
    search_fields = ["title", "slug"]
    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("question"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("deliberation_reference"), FieldPanel("deliberation_date"), FieldPanel("deliberation_url")],
            heading=_("Council deliberation"),
        ),
        FieldPanel("registered_electors"),
        FieldPanel("restricted_districts"),
        FieldPanel("published"),
        InlinePanel("phases", heading=_("Polling period"), label=_("polling period"), max_num=1, panels=_phase_fields),
    ]


class ConversationViewSet(SnippetViewSet):
    model = Conversation
    icon = "group"
    menu_label = _("Opinion maps")
    list_display = ["title", "published", "created_at"]
    search_backend_name = None
    search_fields = ["title", "slug"]
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("topic"),
        FieldPanel("max_statement_length"),
        FieldPanel("published"),
        _who,
        InlinePanel("phases", heading=_("Phases"), label=_("phase"), panels=_phase_fields),
    ]


class ConsultationsGroup(SnippetViewSetGroup):
    items = (QuestionnaireViewSet, QuestionViewSet, LocalVoteViewSet, ConversationViewSet)
    menu_icon = "form"
    menu_label = _("Consultations")
    menu_name = "consultations"


register_snippet(ConsultationsGroup)
