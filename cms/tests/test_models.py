from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cms.models import FooterLink, NewsArticlePage, SiteBranding, contrast_with_white
from cms.tests.fixtures import make_image

pytestmark = pytest.mark.django_db


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#ffffff"), 1) == 1.0
    assert contrast_with_white("#767676") >= 4.5 > contrast_with_white("#777777")


def test_branding_rejects_colours_white_text_cannot_be_read_on():
    branding = SiteBranding(municipality_name="Belleville", primary_colour="#ffcc00")
    with pytest.raises(ValidationError) as error:
        branding.full_clean()
    assert "primary_colour" in error.value.message_dict


def test_branding_rejects_anything_but_a_hex_colour():
    branding = SiteBranding(municipality_name="Belleville", primary_colour="red;}")
    with pytest.raises(ValidationError) as error:
        branding.full_clean()
    assert "primary_colour" in error.value.message_dict


def test_branding_accepts_dark_enough_colours():
    SiteBranding(municipality_name="Belleville", primary_colour="#145c74", primary_dark_colour="#0c3f50").full_clean()


def test_article_image_needs_alt_text_unless_decorative(site_tree):
    article = NewsArticlePage(title="Travaux", slug="travaux", intro="Rue barrée.", image=make_image())
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "image_alt" in error.value.message_dict
    article.image_decorative = True
    article.clean()
    assert article.image_alt_text == ""


def test_menu_link_needs_a_page_or_an_address_but_not_both(site_tree):
    with pytest.raises(ValidationError):
        FooterLink(label="Vide").clean()
    with pytest.raises(ValidationError):
        FooterLink(label="Les deux", link_page=site_tree["standard"], link_url="https://example.org/").clean()
    with pytest.raises(ValidationError):
        FooterLink(link_url="https://example.org/").clean()
    FooterLink(link_page=site_tree["standard"]).clean()
