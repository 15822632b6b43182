"""CMS pages, site settings and menus (bakerydemo `base/models.py` and `blog/models.py`)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from civicplatform.core.registry import featured_items
from cms.blocks import BodyStreamBlock

# ------------------------------------------------------------------------------
# Site settings
# ------------------------------------------------------------------------------


class AccessibilityStatus(models.TextChoices):
    # The three statuses the RGAA requires in the accessibility statement and on every page.
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


hex_colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Give a colour as # followed by six hexadecimal digits, e.g. #1d4f91.")
)
# WCAG 2.1 AA (1.4.3): normal text needs a contrast ratio of at least 4.5:1.
MIN_CONTRAST_WITH_WHITE = 4.5


def _relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio between white text and a #rrggbb background."""
    return 1.05 / (_relative_luminance(colour) + 0.05)


@register_setting(icon="site")
class SiteBranding(BaseGenericSetting):
    municipality_name = models.CharField(_("municipality name"), max_length=150, default="")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        validators=[hex_colour_validator],
        help_text=_("Hexadecimal, e.g. #1d4f91. Must contrast with white text."),
    )
    primary_dark_colour = models.CharField(
        _("dark primary colour"),
        max_length=7,
        blank=True,
        validators=[hex_colour_validator],
        help_text=_("Background of the menu and hover colour. Must contrast with white text."),
    )
    accessibility_status = models.CharField(
        _("accessibility status"),
        max_length=10,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.PARTIAL,
        help_text=_(
            "Shown in the footer of every page and in the accessibility statement. "
            "“Fully compliant” requires 100% of RGAA criteria met, “partially compliant” at least 50%."
        ),
    )

    panels = [
        FieldPanel("municipality_name"),
        FieldPanel("logo"),
        MultiFieldPanel([FieldPanel("primary_colour"), FieldPanel("primary_dark_colour")], heading=_("Colours")),
        FieldPanel("accessibility_status"),
    ]

    class Meta:
        verbose_name = _("site branding")

    @classmethod
    def load(cls, request_or_site=None):
        """With a request, the branding cached for the site chrome (cms.chrome), invalidated on save."""
        if isinstance(request_or_site, HttpRequest):
            from cms.chrome import get_chrome

            attr_name = cls.get_cache_attr_name()
            if not hasattr(request_or_site, attr_name):
                setattr(request_or_site, attr_name, get_chrome(request_or_site).branding)
            return getattr(request_or_site, attr_name)
        return super().load(request_or_site=request_or_site)

    def clean(self) -> None:
        super().clean()
        errors = {}
        for field in ("primary_colour", "primary_dark_colour"):
            colour = getattr(self, field)
            if re.fullmatch(r"#[0-9a-fA-F]{6}", colour or "") and contrast_with_white(colour) < MIN_CONTRAST_WITH_WHITE:
                errors[field] = ValidationError(
                    _("White text on this colour has a contrast of %(ratio).1f:1; at least 4.5:1 is required."),
                    params={"ratio": contrast_with_white(colour)},
                )
        if errors:
            raise ValidationError(errors)


class MenuLink(Orderable):
    """A link to a page of the site or to an external address."""

    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("Leave empty to use the title of the chosen page.")
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        # The link disappears with its page rather than pointing nowhere.
        on_delete=models.CASCADE,
        related_name="+",
    )
    link_url = models.URLField(_("or external address"), blank=True)

    panels = [FieldPanel("label"), PageChooserPanel("link_page"), FieldPanel("link_url")]

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self) -> None:
        super().clean()
        if bool(self.link_page_id) == bool(self.link_url):
            raise ValidationError(_("Choose a page or give an external address (one of the two)."))
        if self.link_url and not self.label:
            raise ValidationError({"label": _("A link to an external address needs a label.")})

    def get_label(self) -> str:
        return self.label or (self.link_page.title if self.link_page_id else self.link_url)


@register_setting(icon="list-ul")
class NavigationSettings(ClusterableModel, BaseGenericSetting):
    """Editable menus: links added after the participation sections, and footer links.

    The legal pages are always linked from the footer, whatever is chosen here.
    """

    panels = [
        InlinePanel("main_menu_links", label=_("Main menu link"), heading=_("Extra main menu links")),
        InlinePanel("footer_links", label=_("Footer link"), heading=_("Footer links")),
    ]

    class Meta:
        verbose_name = _("menus and footer")


class MainMenuLink(MenuLink):
    setting = ParentalKey(NavigationSettings, on_delete=models.CASCADE, related_name="main_menu_links")

    class Meta(MenuLink.Meta):
        verbose_name = _("main menu link")


class FooterLink(MenuLink):
    setting = ParentalKey(NavigationSettings, on_delete=models.CASCADE, related_name="footer_links")

    class Meta(MenuLink.Meta):
        verbose_name = _("footer link")


# ------------------------------------------------------------------------------
# Pages
# ------------------------------------------------------------------------------


class ImageWithAltMixin(models.Model):
    """A page's main image with its alternative text or an explicit "decorative" choice."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    image_decorative = models.BooleanField(
        _("the image is decorative"),
        default=False,
        help_text=_("Tick only if the image adds no information: screen readers will then skip it."),
    )

    image_panels = [FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("image_decorative")]

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.image_id and not self.image_decorative and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Describe the image, or tick “the image is decorative” if it adds no information.")}
            )

    @property
    def image_alt_text(self) -> str:
        return "" if self.image_decorative else self.image_alt

    def get_meta_image(self) -> tuple[Any, str]:
        return self.image, self.image_alt_text


class SitePage(Page):
    """What every CMS page shares: what its Open Graph tags show (see cms/templatetags/cms_tags.py)."""

    og_type = "website"

    class Meta:
        abstract = True

    def get_meta_description(self) -> str:
        return self.search_description or getattr(self, "intro", "") or ""

    def get_meta_image(self) -> tuple[Any, str]:
        """The image for link previews, with its alternative text."""
        return None, ""


class HomePage(ImageWithAltMixin, SitePage):  # noqa: DJ008 - Page provides __str__
    hero_text = models.TextField(_("hero text"), max_length=400, blank=True)
    hero_cta_label = models.CharField(_("button label"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_text"),
                *ImageWithAltMixin.image_panels,
                FieldPanel("hero_cta_label"),
                PageChooserPanel("hero_cta_page"),
            ],
            heading=_("Hero"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("hero_text"), index.SearchField("body")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage", "cms.NewsIndexPage", "cms.LegalPage", "cms.AccessibilityPage"]

    class Meta:
        verbose_name = _("home page")

    def clean(self) -> None:
        super().clean()
        if bool(self.hero_cta_label) != bool(self.hero_cta_page_id):
            raise ValidationError(_("The hero button needs both a label and a page."))

    def get_meta_description(self) -> str:
        return self.search_description or self.hero_text

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # Participation apps feed this through the registry; the CMS does not know them.
        context["featured_items"] = featured_items(limit=6)
        context["latest_news"] = list(
            NewsArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("image")
            .prefetch_related("image__renditions")
            .order_by("-date", "-first_published_at")[:3]
        )
        context["news_index"] = NewsIndexPage.objects.live().public().descendant_of(self).first()
        return context


class StandardPage(SitePage):
    intro = models.TextField(_("introduction"), max_length=400, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")

    def get_meta_image(self) -> tuple[Any, str]:
        for block in self.body:
            if block.block_type == "image":
                value = block.value
                return value["image"], "" if value["decorative"] else value["alt_text"]
        return None, ""


class NewsIndexPage(SitePage):
    intro = models.TextField(_("introduction"), max_length=400, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsArticlePage"]

    per_page = 10

    class Meta:
        verbose_name = _("news index")

    def articles(self) -> models.QuerySet[NewsArticlePage]:
        return (
            NewsArticlePage.objects.live()
            .public()
            .child_of(self)
            .select_related("image")
            # Renditions are prefetched so the list costs the same queries for 3 or 300 articles.
            .prefetch_related("image__renditions")
            .order_by("-date", "-first_published_at", "-pk")
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        context = super().get_context(request, *args, **kwargs)
        paginated: PaginatorPage = Paginator(self.articles(), self.per_page).get_page(request.GET.get("page"))
        context["articles"] = paginated
        return context


class NewsArticlePage(ImageWithAltMixin, SitePage):  # noqa: DJ008 - Page provides __str__
    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(
        _("introduction"), max_length=400, help_text=_("One or two sentences shown in the list of news.")
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        MultiFieldPanel(ImageWithAltMixin.image_panels, heading=_("Image")),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    og_type = "article"

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")


class LegalPageKind(models.TextChoices):
    LEGAL_NOTICE = "legal_notice", _("Legal notice")
    PERSONAL_DATA = "personal_data", _("Personal data")


class LegalPage(SitePage):
    """Mentions légales and données personnelles: always linked from the footer."""

    kind = models.CharField(_("kind"), max_length=20, choices=LegalPageKind.choices)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("legal page")


class AccessibilityPage(SitePage):
    """The RGAA accessibility statement. Its compliance status is SiteBranding.accessibility_status,
    so the statement and the footer line of every page can never disagree."""

    compliance_rate = models.PositiveSmallIntegerField(
        _("share of RGAA criteria met (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    audit_date = models.DateField(_("audit date"), null=True, blank=True)
    audited_by = models.CharField(_("audit carried out by"), max_length=150, blank=True)
    body = StreamField(
        BodyStreamBlock(),
        verbose_name=_("body"),
        blank=True,
        help_text=_("Non-accessible content, exemptions, technologies used and how to contact the municipality."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("compliance_rate"), FieldPanel("audit_date"), FieldPanel("audited_by")],
            heading=_("Audit results"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("accessibility statement")
