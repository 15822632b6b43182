from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.verification.desk import SESSION_KEY, participant_for, person_ref
from civicplatform.verification.models import RegisterEntry, VerificationConflict, VerificationEvent
from civicplatform.verification.services.registers import register_match
from civicplatform.verification.tests.factories import MARIE_TYPED, query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(district):
    """Someone without e-mail, created at the desk earlier."""
    user = User.objects.create_user(email=None, pseudonym="Mme Rose", district=district, birth_year=1948)
    user.set_unusable_password()
    user.save()
    return user


def _request_from(client, user):
    """A request carrying the test client's session, as participation views receive it."""
    request = RequestFactory().get("/")
    request.user = user
    request.session = client.session
    return request


# ---------------------------------------------------------------- access


def test_anonymous_visitors_are_sent_to_log_in(client, person):
    for url in (
        reverse("verification:desk"),
        reverse("verification:desk_create"),
        reverse("verification:desk_person", args=[person_ref(person)]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    response = client.post(reverse("verification:desk_act", args=[person_ref(person)]))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_residents_cannot_use_the_desk_or_act_for_anyone(client, resident, person):
    client.force_login(resident)
    ref = person_ref(person)
    assert client.get(reverse("verification:desk")).status_code == 403
    assert client.get(reverse("verification:desk_person", args=[ref])).status_code == 403
    assert client.post(reverse("verification:desk_create"), {"pseudonym": "X"}).status_code == 403
    assert client.post(reverse("verification:desk_verify", args=[ref]), {"level": 2}).status_code == 403
    assert client.post(reverse("verification:desk_act", args=[ref])).status_code == 403
    assert SESSION_KEY not in client.session
    assert not AuditEvent.objects.filter(action__startswith="desk.").exists()


def test_tampered_person_references_are_404(client, staff, person):
    client.force_login(staff)
    assert client.get(reverse("verification:desk_person", args=[str(person.pk)])).status_code == 404
    assert client.get(reverse("verification:desk_person", args=[person_ref(person) + "x"])).status_code == 404


def test_wrong_methods_are_refused(client, staff, person):
    client.force_login(staff)
    ref = person_ref(person)
    assert client.get(reverse("verification:desk_act", args=[ref])).status_code == 405
    assert client.get(reverse("verification:desk_verify", args=[ref])).status_code == 405
    assert client.get(reverse("verification:desk_stop")).status_code == 405


# ---------------------------------------------------------------- search and create


def test_staff_find_a_person_by_pseudonym_or_email(client, staff, person, resident):
    client.force_login(staff)
    page = client.get(reverse("verification:desk"), {"q": "rose"}).content.decode()
    assert "Mme Rose" in page
    assert "Camille" not in page
    page = client.get(reverse("verification:desk"), {"q": resident.email.upper()}).content.decode()
    assert "Camille" in page


def test_too_short_search_is_a_field_error(client, staff):
    client.force_login(staff)
    response = client.get(reverse("verification:desk"), {"q": "a"})
    assert response.status_code == 400
    assert "id_q_error" in response.content.decode()


def test_search_has_a_constant_number_of_queries(client, staff, district, django_assert_max_num_queries):
    client.force_login(staff)
    url = reverse("verification:desk")
    UserFactory(pseudonym="Voisin", district=district)
    with_one = query_count(client, url, {"q": "voisin"})
    for index in range(8):
        UserFactory(pseudonym=f"Voisin{index}", district=district)
    with django_assert_max_num_queries(with_one):
        response = client.get(url, {"q": "voisin"})
    assert response.content.decode().count("Voisin") >= 9


def test_staff_create_and_verify_an_account_without_email(client, staff, district):
    client.force_login(staff)
    response = client.post(
        reverse("verification:desk_create"),
        {"pseudonym": "M. Louis", "district": district.pk, "birth_year": "1940", "identity_checked": "on"},
    )
    assert response.status_code == 302
    person = User.objects.get(pseudonym="M. Louis")
    assert person.email is None
    assert not person.has_usable_password()
    assert person.verification_level == VerificationLevel.RESIDENT
    assert (person.district, person.birth_year) == (district, 1940)
    created = AuditEvent.objects.get(action="desk.account_created")
    assert (created.actor, created.on_behalf_of) == (staff, person)
    verified = AuditEvent.objects.get(action="verification.verified")
    assert (verified.actor, verified.on_behalf_of, verified.data["method"]) == (staff, person, "desk")
    assert VerificationEvent.objects.get(user=person).method == "desk"
    assert response.url == reverse("verification:desk_person", args=[person_ref(person)])


def test_account_created_with_an_email_keeps_it_unconfirmed(client, staff, district):
    client.force_login(staff)
    client.post(reverse("verification:desk_create"), {"pseudonym": "Léa", "email": "Lea@Example.org"})
    person = User.objects.get(pseudonym="Léa")
    assert person.email == "lea@example.org"
    assert person.emailaddress_set.get().verified is False
    assert person.verification_level == VerificationLevel.NONE


def test_taken_pseudonym_is_refused_on_the_field_and_keeps_what_was_typed(client, staff, person):
    client.force_login(staff)
    response = client.post(reverse("verification:desk_create"), {"pseudonym": "mme rose", "birth_year": "1950"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "id_pseudonym_error" in content
    assert 'value="1950"' in content
    assert User.objects.filter(pseudonym__iexact="mme rose").count() == 1


def test_future_birth_year_is_refused(client, staff):
    client.force_login(staff)
    response = client.post(reverse("verification:desk_create"), {"pseudonym": "Futur", "birth_year": "2999"})
    assert response.status_code == 400
    assert "id_birth_year_error" in response.content.decode()


# ---------------------------------------------------------------- verify at the desk


def test_staff_verify_a_present_person_without_recording_the_document(client, staff, person):
    client.force_login(staff)
    url = reverse("verification:desk_verify", args=[person_ref(person)])
    response = client.post(url, {"level": VerificationLevel.RESIDENT, "identity_checked": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.verification_level == VerificationLevel.RESIDENT
    event = VerificationEvent.objects.get(user=person)
    assert (event.method, event.actor) == ("desk", staff)


def test_desk_verification_needs_the_identity_check_box(client, staff, person):
    client.force_login(staff)
    url = reverse("verification:desk_verify", args=[person_ref(person)])
    response = client.post(url, {"level": VerificationLevel.RESIDENT})
    assert response.status_code == 400
    assert "id_identity_checked_error" in response.content.decode()
    person.refresh_from_db()
    assert person.verification_level == VerificationLevel.NONE


def test_desk_verification_with_identity_claims_the_register_entry(client, staff, person, census):
    client.force_login(staff)
    url = reverse("verification:desk_verify", args=[person_ref(person)])
    data = {
        "level": VerificationLevel.RESIDENT,
        "identity_checked": "on",
        "last_name": "Lefevre-Dubois",
        "first_names": "Marie Hélène Jeanne",
        "birth_date": "1985-07-14",
        "postal_code": "45100",
    }
    assert client.post(url, data).status_code == 302
    assert RegisterEntry.objects.get(claimed_by__isnull=False).claimed_by == person
    # The same person can no longer verify another account online.
    other = UserFactory()
    register_match(user=other, **MARIE_TYPED)
    assert VerificationConflict.objects.get().claimant == other


def test_desk_verification_of_an_identity_already_used_opens_a_conflict(client, staff, person, census):
    register_match(user=UserFactory(), **MARIE_TYPED)
    client.force_login(staff)
    url = reverse("verification:desk_verify", args=[person_ref(person)])
    data = {
        "level": VerificationLevel.RESIDENT,
        "identity_checked": "on",
        "last_name": "Lefèvre-Dubois",
        "first_names": "Marie-Hélène Jeanne",
        "birth_date": "14/07/1985",
        "postal_code": "45100",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Un conflit a été ouvert" in response.content.decode()
    assert VerificationConflict.objects.get().claimant == person
    person.refresh_from_db()
    assert person.verification_level == VerificationLevel.NONE


def test_partial_identity_is_refused(client, staff, person):
    client.force_login(staff)
    url = reverse("verification:desk_verify", args=[person_ref(person)])
    response = client.post(url, {"level": 2, "identity_checked": "on", "last_name": "Rose"})
    assert response.status_code == 400


# ---------------------------------------------------------------- acting for a person


def test_staff_act_for_a_person_and_the_banner_shows_on_every_page(client, staff, person):
    client.force_login(staff)
    response = client.post(reverse("verification:desk_act", args=[person_ref(person)]))
    assert response.status_code == 302
    assert client.session[SESSION_KEY]["person"] == person.pk
    start = AuditEvent.objects.get(action="desk.start")
    assert (start.actor, start.on_behalf_of) == (staff, person)
    page = client.get(reverse("verification:start")).content.decode()
    assert 'class="desk-banner" role="status"' in page
    assert "Mme Rose" in page
    assert reverse("verification:desk_stop") in page


def test_participant_for_gives_the_person_and_the_staff_actor(client, staff, person):
    client.force_login(staff)
    client.post(reverse("verification:desk_act", args=[person_ref(person)]))
    participation = participant_for(_request_from(client, staff))
    assert participation.person == person
    assert participation.actor == staff
    assert participation.on_behalf_of == person
    assert participation.is_desk
    assert participation.audit_kwargs == {"actor": staff, "on_behalf_of": person}


def test_participant_for_is_the_user_themself_outside_the_desk(client, resident):
    client.force_login(resident)
    participation = participant_for(_request_from(client, resident))
    assert (participation.person, participation.actor, participation.on_behalf_of) == (resident, resident, None)
    assert not participation.is_desk
    with pytest.raises(PermissionDenied):
        participant_for(_request_from(client, AnonymousUser()))


def test_a_desk_session_left_by_someone_no_longer_staff_is_ignored(client, staff, person):
    client.force_login(staff)
    client.post(reverse("verification:desk_act", args=[person_ref(person)]))
    staff.is_staff = False
    staff.save()
    participation = participant_for(_request_from(client, staff))
    assert participation.person == staff
    assert participation.on_behalf_of is None


def test_finishing_stops_acting_and_is_audited(client, staff, person):
    client.force_login(staff)
    client.post(reverse("verification:desk_act", args=[person_ref(person)]))
    response = client.post(reverse("verification:desk_stop"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    stop = AuditEvent.objects.get(action="desk.stop")
    assert (stop.actor, stop.on_behalf_of, stop.data["reason"]) == (staff, person, "staff")
    page = client.get(reverse("verification:start")).content.decode()
    assert "desk-banner" not in page


def test_logging_out_ends_acting_for_the_person(client, staff, person):
    client.force_login(staff)
    client.post(reverse("verification:desk_act", args=[person_ref(person)]))
    client.post(reverse("account_logout"))
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.get(action="desk.stop").data["reason"] == "logout"


def test_a_forgotten_desk_session_ends_after_two_hours(client, staff, person):
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(staff)
        client.post(reverse("verification:desk_act", args=[person_ref(person)]))
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        assert participant_for(_request_from(client, staff)).person == person
    with time_machine.travel(start + datetime.timedelta(hours=2, minutes=1), tick=False):
        request = _request_from(client, staff)
        assert participant_for(request).person == staff
    assert AuditEvent.objects.get(action="desk.stop").data["reason"] == "expired"


def test_staff_cannot_act_for_themselves(client, staff):
    client.force_login(staff)
    response = client.post(reverse("verification:desk_act", args=[person_ref(staff)]))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_acting_for_another_person_closes_the_first_desk_session(client, staff, person, resident):
    client.force_login(staff)
    client.post(reverse("verification:desk_act", args=[person_ref(person)]))
    client.post(reverse("verification:desk_act", args=[person_ref(resident)]))
    assert client.session[SESSION_KEY]["person"] == resident.pk
    stop = AuditEvent.objects.get(action="desk.stop")
    assert (stop.on_behalf_of, stop.data["reason"]) == (person, "switched")


def test_after_acting_staff_may_be_sent_back_to_a_safe_page_only(client, staff, person):
    client.force_login(staff)
    ref = person_ref(person)
    response = client.post(reverse("verification:desk_act", args=[ref]), {"next": "/budgets/"})
    assert response.url == "/budgets/"
    response = client.post(reverse("verification:desk_act", args=[ref]), {"next": "https://evil.example/"})
    assert response.url == "/"
