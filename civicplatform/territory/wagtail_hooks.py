"""Staff see and edit the municipality and its districts in the Wagtail admin (Snippets)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from civicplatform.territory.models import District, Municipality


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "home"
    menu_label = _("Municipality")
    list_display = ["name", "insee_code", "registered_electors", "population"]
    search_backend_name = None
    search_fields = ["name", "insee_code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("insee_code"),
        FieldPanel("registered_electors"),
        FieldPanel("population"),
        FieldPanel("is_commune"),
    ]


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    menu_label = _("Districts")
    list_display = ["name", "postal_codes_display", "population", "has_outline"]
    list_filter = ["municipality"]
    search_backend_name = None
    search_fields = ["name", "slug"]
    ordering = ["name"]
    # The outline is loaded from GeoJSON by `manage.py load_territory`, not typed in a form.
    panels = [
        FieldPanel("municipality"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("postal_codes", help_text=_('A JSON list, for example ["45100", "45110"].')),
        FieldPanel("population"),
    ]


class TerritoryViewSetGroup(SnippetViewSetGroup):
    items = (MunicipalityViewSet, DistrictViewSet)
    menu_icon = "site"
    menu_label = _("Territory")
    menu_name = "territory"


register_snippet(TerritoryViewSetGroup)
