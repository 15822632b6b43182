"""Public pages: list, petition page, starting a petition, widget, feeds and open data."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from civicplatform.core.models import AuditEvent
from civicplatform.territory.tests.factories import DistrictFactory
from petitions.models import Petition, PetitionKind, PetitionStatus, Signature
from petitions.selectors import featured_petitions
from petitions.services import counting

from .factories import PetitionFactory, SignatureFactory, ThemeFactory

pytestmark = pytest.mark.django_db

OUTLINE = {"type": "Polygon", "coordinates": [[[1.9, 47.9], [1.91, 47.9], [1.91, 47.91], [1.9, 47.91], [1.9, 47.9]]]}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("index", []),
        ("create", []),
        ("mine", []),
        ("export_csv", []),
        ("feed_new_rss", []),
        ("feed_answered_atom", []),
        ("detail", ["piste-abc123"]),
        ("sign", ["piste-abc123"]),
        ("widget", ["piste-abc123"]),
        ("count", ["piste-abc123"]),
        ("confirm", ["token"]),
    ],
)
def test_every_public_route_reverses_and_resolves(name, args):
    url = reverse(f"petitions:{name}", args=args)
    assert url.startswith("/petitions/")
    assert resolve(url).view_name == f"petitions:{name}"


# ---------------------------------------------------------------------------- list


def test_the_list_shows_published_petitions_with_their_counts_and_hides_drafts(client, petition, resident):
    PetitionFactory(title="Un brouillon secret", author=resident)
    SignatureFactory.create_batch(3, petition=petition)
    counting.counts_fold()
    response = client.get(reverse("petitions:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert petition.title in page
    assert "Un brouillon secret" not in page
    assert "3 signatures" in page


def test_the_list_searches_and_filters_by_status_theme_and_district(client, municipality, resident):
    theme = ThemeFactory(name="Mobilités", slug="mobilites")
    district = DistrictFactory(municipality=municipality, slug="la-gare", name="La Gare")
    match = PetitionFactory(
        title="Un parking vélo à la gare", status=PetitionStatus.OPEN, theme=theme, district=district, open_for=(1, 5)
    )
    PetitionFactory(title="Un parking vélo au stade", status=PetitionStatus.CLOSED, open_for=(10, -1))
    PetitionFactory(title="Des arbres", status=PetitionStatus.OPEN, open_for=(1, 5))
    page = client.get(reverse("petitions:index"), {"q": "parking", "status": "open"}).content.decode()
    assert match.title in page
    assert "au stade" not in page
    assert "Des arbres" not in page
    page = client.get(reverse("petitions:index"), {"theme": "mobilites", "district": "la-gare"}).content.decode()
    assert match.title in page
    assert "au stade" not in page


def test_an_unknown_filter_value_is_a_400_that_keeps_the_search(client, petition):
    response = client.get(reverse("petitions:index"), {"q": "piste", "theme": "nope"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="piste"' in page
    assert "error-summary" in page


def test_the_list_page_needs_the_same_number_of_queries_for_3_or_15_petitions(
    client, django_assert_max_num_queries, municipality
):
    PetitionFactory.create_batch(3, status=PetitionStatus.OPEN, open_for=(1, 5), theme=ThemeFactory())
    client.get(reverse("petitions:index"))  # creates the site chrome settings rows once
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("petitions:index"))
    PetitionFactory.create_batch(12, status=PetitionStatus.OPEN, open_for=(1, 5), theme=ThemeFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("petitions:index"))
    assert response.content.decode().count("petition-card") >= 15


def test_the_list_answers_post_with_405(client):
    assert client.post(reverse("petitions:index")).status_code == 405


# ---------------------------------------------------------------------------- petition page


def test_the_petition_page_shows_text_progress_chart_districts_share_links_and_cards(client, municipality, petition):
    district = DistrictFactory(municipality=municipality, name="Centre-ville", outline=OUTLINE)
    SignatureFactory.create_batch(4, petition=petition, district=district)
    response = client.get(petition.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert petition.title in page
    assert "4 signatures" in page
    assert '<progress id="progress-' in page and 'max="500"' in page
    assert '<polyline class="chart__line"' in page
    assert "<table>" in page
    assert 'class="district-map__area' in page
    assert "Centre-ville" in page
    assert f'property="og:title" content="{petition.title}"' in page
    assert 'name="twitter:card"' in page
    assert "facebook.com/sharer" in page
    assert "&lt;iframe src=" in page
    # No tracking script: the only scripts are the site's own.
    assert '<script src="https://' not in page
    assert response["X-Frame-Options"] == "DENY"


FRENCH_SHORT_DAY = re.compile(r"^\d{1,2} (janv?\.|févr?\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.)$")


def test_the_timeline_axis_names_the_days_in_french(client, petition):
    SignatureFactory.create_batch(2, petition=petition)
    page = client.get(petition.get_absolute_url()).content.decode()
    ticks = re.findall(r'<text class="chart__label"[^>]*text-anchor="middle">([^<]*)</text>', page)
    assert ticks, "the timeline has day labels under its axis"
    # "20 oct.", not the English-looking "20 Oct" of Django's "M" format.
    assert all(FRENCH_SHORT_DAY.match(tick) for tick in ticks), ticks


def test_the_home_page_counts_one_signature_in_the_singular(petition):
    SignatureFactory(petition=petition)
    counting.counts_fold(petition_ids=[petition.pk])
    with translation.override("fr"):
        (item,) = featured_petitions(3)
    assert item.status.startswith("1 signature, ouverte jusqu’au ")


def test_a_draft_is_a_404_for_others_and_visible_to_its_author(client, resident, other_resident):
    draft = PetitionFactory(author=resident)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(other_resident)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(resident)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_signer_names_stay_private_unless_the_signer_chose_to_show_theirs(client, petition):
    SignatureFactory(petition=petition, name="Alice Discrète", public_name=False)
    SignatureFactory(petition=petition, name="Bruno Public", public_name=True)
    page = client.get(petition.get_absolute_url()).content.decode()
    assert "Bruno Public" in page
    assert "Alice Discrète" not in page


def test_an_answered_l1112_16_request_shows_the_council_outcome(client, formal_petition, staff):
    import datetime

    from petitions.services import lifecycle

    lifecycle.response_publish(
        petition=formal_petition,
        actor=staff,
        text="Le conseil a examiné la demande.",
        responded_on=datetime.date(2026, 6, 1),
        council_decision="consultation",
        council_meeting_on=datetime.date(2026, 5, 28),
    )
    page = client.get(formal_petition.get_absolute_url()).content.decode()
    assert "Le conseil a examiné la demande." in page
    assert "28 mai 2026" in page or "May 28, 2026" in page


# ---------------------------------------------------------------------------- starting a petition


def test_starting_a_petition_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("petitions:create"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_citizen_who_is_not_a_verified_resident_is_told_how_to_become_one(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("petitions:create"))
    assert response.status_code == 403
    assert reverse("verification:start") in response.content.decode()


def test_a_resident_starts_a_draft_and_an_invalid_one_keeps_what_they_typed(client, municipality, resident):
    client.force_login(resident)
    response = client.post(reverse("petitions:create"), {"title": "Des bancs place du Marché", "summary": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Des bancs place du Marché"' in page
    assert 'id="id_summary"' in page and "errorlist" in page
    response = client.post(
        reverse("petitions:create"), {"title": "Des bancs place du Marché", "summary": "Pour s’asseoir."}
    )
    petition = Petition.objects.get(author=resident)
    assert response.status_code == 302
    assert response["Location"] == petition.get_absolute_url()
    assert petition.kind == PetitionKind.CIVIC


def test_an_elector_chooses_the_kind_of_petition(client, municipality, elector):
    client.force_login(elector)
    page = client.get(reverse("petitions:create")).content.decode()
    assert 'value="formal"' in page
    client.post(
        reverse("petitions:create"),
        {"kind": "formal", "title": "Consulter sur le marché", "summary": "Une consultation, s’il vous plaît."},
    )
    assert Petition.objects.get(author=elector).kind == PetitionKind.FORMAL


def test_the_author_submits_the_draft_and_others_cannot(client, municipality, resident, other_resident):
    draft = PetitionFactory(author=resident, municipality=municipality)
    client.force_login(other_resident)
    assert client.post(reverse("petitions:submit", args=[draft.slug])).status_code == 404
    client.force_login(resident)
    assert client.get(reverse("petitions:submit", args=[draft.slug])).status_code == 200
    response = client.post(reverse("petitions:submit", args=[draft.slug]), {"notify_response": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PetitionStatus.GATHERING
    assert client.post(reverse("petitions:submit", args=[draft.slug])).status_code == 403


def test_editing_a_draft_is_for_its_author(client, resident, other_resident):
    draft = PetitionFactory(author=resident)
    client.force_login(resident)
    response = client.post(
        reverse("petitions:edit", args=[draft.slug]), {"title": "Nouveau titre", "summary": "Nouveau résumé."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Nouveau titre"
    assert AuditEvent.objects.filter(action="petitions.update").exists()
    client.force_login(other_resident)
    assert client.get(reverse("petitions:edit", args=[draft.slug])).status_code == 404


# ---------------------------------------------------------------------------- widget, counter, data, feeds


def test_the_widget_is_the_only_page_that_may_be_framed(client, petition):
    response = client.get(reverse("petitions:widget", args=[petition.slug]))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert petition.title in response.content.decode()
    assert client.get(petition.get_absolute_url())["X-Frame-Options"] == "DENY"


def test_the_light_counter_and_the_open_data_carry_aggregates_only(client, petition):
    SignatureFactory(petition=petition, name="Alice Secrète", email="alice@secret.example")
    count = client.get(reverse("petitions:count", args=[petition.slug])).json()
    assert count == {"count": 1, "goal": 500, "goal_label": count["goal_label"], "percent": 0}
    response = client.get(reverse("petitions:data", args=[petition.slug]))
    data = json.loads(response.content)
    assert data["signature_count"] == 1
    assert "Alice" not in response.content.decode()
    assert "secret.example" not in response.content.decode()
    csv = client.get(reverse("petitions:export_csv")).content.decode()
    assert petition.title in csv
    assert "Alice" not in csv


def test_feeds_list_new_and_answered_petitions(client, petition, staff):
    import datetime

    from petitions.services import lifecycle

    rss = client.get(reverse("petitions:feed_new_rss")).content.decode()
    assert petition.title in rss
    assert petition.title not in client.get(reverse("petitions:feed_answered_rss")).content.decode()
    lifecycle.response_publish(petition=petition, actor=staff, text="Oui.", responded_on=datetime.date(2026, 5, 1))
    atom = client.get(reverse("petitions:feed_answered_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert petition.title in atom.content.decode()


def test_my_petitions_lists_the_drafts_of_the_person(client, resident):
    PetitionFactory(author=resident, title="Mon brouillon")
    client.force_login(resident)
    assert "Mon brouillon" in client.get(reverse("petitions:mine")).content.decode()


def test_signatures_by_district_count_only_validated_rows(client, municipality, petition):
    district = DistrictFactory(municipality=municipality, name="La Gare")
    SignatureFactory.create_batch(2, petition=petition, district=district)
    SignatureFactory(petition=petition, district=district, state="pending", confirmed_at=None)
    page = client.get(petition.get_absolute_url()).content.decode()
    assert "<td>La Gare</td><td>2</td>" in page
    assert Signature.objects.filter(petition=petition).count() == 3
