from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from cms.blocks import BodyStreamBlock, CallToActionBlock, ImageBlock, PrivacyEmbedBlock
from cms.tests.fixtures import make_image

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://video.example.org/w/conseil-municipal"
PLAYER_HTML = '<iframe src="https://video.example.org/embed/conseil-municipal" width="560" height="315"></iframe>'


class FakeVideoFinder:
    """An oEmbed provider that answers without any network access."""

    def accept(self, url: str) -> bool:
        return url.startswith("https://video.example.org/")

    def find_embed(self, url: str, max_width: int | None = None) -> dict:
        return {
            "title": "Conseil municipal",
            "author_name": "Mairie",
            "provider_name": "PeerTube Mairie",
            "type": "video",
            "thumbnail_url": "https://video.example.org/thumb.jpg",
            "width": 560,
            "height": 315,
            "html": PLAYER_HTML,
        }


@pytest.fixture
def fake_video_provider(monkeypatch):
    monkeypatch.setattr("wagtail.embeds.embeds.get_finders", lambda: [FakeVideoFinder()])


def image_value(**overrides):
    value = {"image": make_image(), "alt_text": "", "decorative": False, "caption": ""}
    value.update(overrides)
    return ImageBlock().to_python({**value, "image": value["image"].pk})


def test_image_without_alt_text_that_is_not_decorative_is_rejected():
    block = ImageBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(image_value())
    assert "alt_text" in error.value.block_errors


def test_whitespace_is_not_alt_text():
    with pytest.raises(StructBlockValidationError):
        ImageBlock().clean(image_value(alt_text="   "))


def test_image_with_alt_text_is_accepted():
    cleaned = ImageBlock().clean(image_value(alt_text="Le pont sur la Loire"))
    assert cleaned["alt_text"] == "Le pont sur la Loire"


def test_image_explicitly_marked_decorative_needs_no_alt_text_and_renders_empty_alt():
    block = ImageBlock()
    cleaned = block.clean(image_value(decorative=True, alt_text="ignored"))
    img = BeautifulSoup(block.render(cleaned), "html.parser").find("img")
    assert img["alt"] == ""


def test_stream_validation_reports_the_image_error():
    stream = BodyStreamBlock()
    value = stream.to_python(
        [{"type": "image", "value": {"image": make_image().pk, "alt_text": "", "decorative": False}}]
    )
    with pytest.raises(ValidationError):
        stream.clean(value)


def test_call_to_action_needs_a_destination():
    block = CallToActionBlock()
    neither = block.to_python({"title": "Participez", "button_label": "Proposer un projet"})
    with pytest.raises(StructBlockValidationError):
        block.clean(neither)
    external = block.to_python(
        {"title": "Participez", "button_label": "Proposer", "url": "https://example.org/", "page": None}
    )
    assert block.clean(external)["url"] == "https://example.org/"


def test_embed_renders_a_link_and_keeps_the_player_inert_until_clicked(fake_video_provider):
    block = PrivacyEmbedBlock()
    value = block.to_python({"embed": VIDEO_URL, "title": "Conseil municipal du 12 mars"})
    html = BeautifulSoup(block.render(value), "html.parser")
    link = html.find("a")
    assert link["href"] == VIDEO_URL
    assert link.get_text(strip=True) == "Conseil municipal du 12 mars"
    # Nothing outside the <template> makes the browser contact the provider.
    template = html.find("template")
    assert "video.example.org/embed" in template.decode_contents()
    template.extract()
    assert html.find("iframe") is None
    assert html.find("img") is None
    assert "video.example.org/embed" not in str(html)
    # The consent button only appears once JavaScript has run.
    consent = html.find(attrs={"data-embed-consent": True})
    assert consent.has_attr("hidden")
    assert consent.find("button", attrs={"data-embed-load": True})
    assert "PeerTube Mairie" in consent.get_text()


def test_embed_from_an_unknown_provider_is_just_a_link():
    # The autouse fixture's finder refuses every URL, as an unreachable provider would.
    block = PrivacyEmbedBlock()
    value = block.to_python({"embed": "https://unknown.example.net/video/1", "title": "Réunion publique"})
    html = BeautifulSoup(block.render(value), "html.parser")
    assert html.find("a")["href"] == "https://unknown.example.net/video/1"
    assert html.find("template") is None
    assert html.find("button") is None
