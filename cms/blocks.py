"""The one StreamField vocabulary every CMS page uses (bakerydemo `base/blocks.py`).

Each block renders through its own template in `cms/templates/cms/blocks/`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds import embeds
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.exceptions import EmbedException
from wagtail.images.blocks import ImageChooserBlock

# No h1 (the page title is the only one), no inline images or embeds: those go
# through ImageBlock and PrivacyEmbedBlock, which enforce alt text and consent.
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=150)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Level 2")), ("h3", _("Level 3")), ("h4", _("Level 4"))],
        default="h2",
        help_text=_("The page title is the only level 1 heading; start with level 2."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    """An image with alternative text, or an explicit statement that it is decorative."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        label=_("This image is decorative"),
        required=False,
        help_text=_("Tick only if the image adds no information: screen readers will then skip it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image_block.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        # RGAA 1.1/1.2: an informative image needs a text alternative; a decorative
        # one must be ignored by assistive technology. Editors have to choose.
        if not value.get("decorative") and not (value.get("alt_text") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _("Describe the image, or tick “This image is decorative” if it adds no information.")
                    )
                }
            )
        return value


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=150)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=400)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or external address"), required=False)
    button_label = blocks.CharBlock(
        label=_("Button label"),
        max_length=60,
        help_text=_("Say where it leads, e.g. “Submit a project”, not “Click here”."),
    )

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action_block.html"

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                non_block_errors=[ValidationError(_("Choose a page or give an external address (one of the two)."))]
            )
        return value


class FaqQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=150)
    questions = blocks.ListBlock(FaqQuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "cms/blocks/faq_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "cms/blocks/quote_block.html"


class PrivacyEmbedBlock(blocks.StructBlock):
    """A video or other third-party content, loaded only when the visitor asks for it.

    The provider's markup is kept in an inert <template>: no request reaches the
    third party (and no tracking cookie is set) before the click. Without
    JavaScript the block is a plain link to the content.
    """

    embed = EmbedBlock(
        label=_("Address of the content"),
        help_text=_("For example a video page address on PeerTube, Vimeo or YouTube."),
    )
    title = blocks.CharBlock(
        label=_("Title"),
        max_length=150,
        help_text=_("Describes the content: used as the link text and as the title of the frame."),
    )

    class Meta:
        icon = "media"
        label = _("Embedded media")
        template = "cms/blocks/embed_block.html"

    def get_context(self, value: Any, parent_context: dict | None = None) -> dict:
        context = super().get_context(value, parent_context=parent_context)
        context["embed"] = None
        if value.get("embed"):
            try:
                context["embed"] = embeds.get_embed(value["embed"].url)
            except EmbedException:
                # The provider is unknown or unreachable: the link alone still works.
                context["embed"] = None
        return context


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=RICH_TEXT_FEATURES,
        template="cms/blocks/paragraph_block.html",
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    faq = FaqBlock()
    quote = QuoteBlock()
    embed = PrivacyEmbedBlock()
