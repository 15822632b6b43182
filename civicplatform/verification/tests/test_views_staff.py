from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicplatform.accounts.models import VerificationLevel
from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.verification.models import (
    PostalLetter,
    RegisterEntry,
    RegisterImport,
    VerificationConflict,
)
from civicplatform.verification.services.letters import letter_request
from civicplatform.verification.services.registers import register_match
from civicplatform.verification.tests.factories import MARIE, MARIE_TYPED, PAUL, query_count, register_csv

pytestmark = pytest.mark.django_db

ADDRESS = {
    "recipient": "Camille Martin",
    "address_line1": "12 rue des Lilas",
    "postal_code": "45100",
    "city": "Belleville-sur-Loire",
}


@pytest.fixture
def letter(district):
    return letter_request(user=UserFactory(), **ADDRESS)


@pytest.fixture
def conflict(census):
    holder, claimant = UserFactory(pseudonym="Holder"), UserFactory(pseudonym="Claimant")
    register_match(user=holder, **MARIE_TYPED)
    register_match(user=claimant, **MARIE_TYPED)
    return VerificationConflict.objects.get()


def staff_pages(letter=None, conflict=None):
    pages = [
        reverse("verification:staff_home"),
        reverse("verification:registers"),
        reverse("verification:letters"),
        reverse("verification:conflicts"),
        reverse("verification:desk"),
        reverse("verification:desk_create"),
    ]
    if letter:
        pages.append(reverse("verification:letter_print", args=[letter.public_id]))
    if conflict:
        pages.append(reverse("verification:conflict_detail", args=[conflict.public_id]))
    return pages


def test_anonymous_visitors_are_sent_to_log_in_from_every_staff_page(client, letter, conflict):
    for url in staff_pages(letter, conflict):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_residents_get_403_on_every_staff_page(client, resident, letter, conflict):
    client.force_login(resident)
    for url in staff_pages(letter, conflict):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("verification:letter_sent", args=[letter.public_id])).status_code == 403
    letter.refresh_from_db()
    assert letter.status == "requested"


def test_staff_without_two_factor_are_sent_to_set_it_up(client, staff, settings):
    settings.ACCOUNTS_STAFF_MFA_REQUIRED = True
    client.force_login(staff)
    response = client.get(reverse("verification:registers"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_see_every_page(client, staff, letter, conflict):
    client.force_login(staff)
    for url in staff_pages(letter, conflict):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_unknown_letters_and_conflicts_are_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("verification:letter_print", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("verification:conflict_detail", args=[uuid.uuid4()])).status_code == 404


def test_wrong_methods_are_refused(client, staff, letter):
    client.force_login(staff)
    assert client.get(reverse("verification:letter_sent", args=[letter.public_id])).status_code == 405
    assert client.put(reverse("verification:registers")).status_code == 405


def test_staff_import_a_census_and_only_hashes_are_kept(client, staff, district):
    client.force_login(staff)
    upload = SimpleUploadedFile("recensement.csv", register_csv([MARIE, PAUL]), content_type="text/csv")
    response = client.post(reverse("verification:registers"), {"kind": "census", "file": upload})
    assert response.status_code == 302
    batch = RegisterImport.objects.get()
    assert (batch.kind, batch.rows_added, batch.uploaded_by) == ("census", 2, staff)
    assert RegisterEntry.objects.count() == 2
    assert not RegisterEntry.objects.filter(key_hash__icontains="dubois").exists()
    page = client.get(reverse("verification:registers")).content.decode()
    assert "Lefèvre" not in page
    assert "message--success" in page


def test_bad_register_file_is_refused_on_the_file_field(client, staff):
    client.force_login(staff)
    upload = SimpleUploadedFile("liste.csv", b"nom,date\nA,B\n", content_type="text/csv")
    response = client.post(reverse("verification:registers"), {"kind": "electoral", "file": upload})
    assert response.status_code == 400
    assert "id_file_error" in response.content.decode()
    assert not RegisterImport.objects.exists()


def test_register_import_without_file_is_a_field_error(client, staff):
    client.force_login(staff)
    response = client.post(reverse("verification:registers"), {"kind": "census"})
    assert response.status_code == 400
    assert "id_file_error" in response.content.decode()


def test_register_page_has_a_constant_number_of_queries(client, staff, district, django_assert_max_num_queries):
    from civicplatform.verification.tests.factories import import_rows

    client.force_login(staff)
    url = reverse("verification:registers")
    import_rows([("Nom", "Prénom", "01/01/1980", "45100")], staff=staff)
    with_one = query_count(client, url)
    for index in range(5):
        import_rows([(f"Nom{index}", "Prénom", "01/01/1980", "45100")], staff=UserFactory(is_staff=True))
    with django_assert_max_num_queries(with_one):
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 7


def test_letters_to_post_show_the_address_and_the_print_page_shows_the_code(client, staff, letter):
    client.force_login(staff)
    page = client.get(reverse("verification:letters")).content.decode()
    assert "12 rue des Lilas" in page
    printed = client.get(reverse("verification:letter_print", args=[letter.public_id])).content.decode()
    assert letter.code in printed
    assert "12 rue des Lilas" in printed
    assert "verification.css" in printed


def test_letters_page_has_a_constant_number_of_queries(client, staff, district, django_assert_max_num_queries):
    client.force_login(staff)
    url = reverse("verification:letters")
    letter_request(user=UserFactory(), **ADDRESS)
    with_one = query_count(client, url)
    for _ in range(5):
        letter_request(user=UserFactory(), **ADDRESS)
    with django_assert_max_num_queries(with_one):
        response = client.get(url)
    assert response.content.decode().count("12 rue des Lilas") == 6


def test_marking_a_letter_posted_erases_the_address(client, staff, letter):
    client.force_login(staff)
    response = client.post(reverse("verification:letter_sent", args=[letter.public_id]))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == PostalLetter.Status.SENT
    assert letter.address_line1 == ""
    assert letter.code == ""
    assert AuditEvent.objects.filter(action="verification.letter_sent", actor=staff).exists()
    again = client.get(reverse("verification:letter_print", args=[letter.public_id]))
    assert again.status_code == 302


def test_staff_give_the_entry_to_the_account_asking(client, staff, conflict):
    client.force_login(staff)
    url = reverse("verification:conflict_detail", args=[conflict.public_id])
    response = client.post(url, {"decision": "reassign", "note": "Identity checked at the desk."})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == "reassigned"
    assert conflict.resolved_by == staff
    holder, claimant = conflict.holder, conflict.claimant
    holder.refresh_from_db()
    claimant.refresh_from_db()
    assert claimant.verification_level == VerificationLevel.RESIDENT
    assert holder.verification_level == VerificationLevel.EMAIL
    assert RegisterEntry.objects.get(claimed_by__isnull=False).claimed_by == claimant
    actions = set(AuditEvent.objects.filter(actor=staff).values_list("action", flat=True))
    assert {"verification.conflict_reassigned", "verification.revoked", "verification.verified"} <= actions


def test_staff_reject_a_request(client, staff, conflict):
    client.force_login(staff)
    url = reverse("verification:conflict_detail", args=[conflict.public_id])
    response = client.post(url, {"decision": "reject", "note": "Nobody came."})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == "rejected"
    conflict.claimant.refresh_from_db()
    assert conflict.claimant.verification_level == VerificationLevel.EMAIL
    assert AuditEvent.objects.get(action="verification.conflict_rejected").reason == "Nobody came."
    # Deciding twice is not possible.
    client.post(url, {"decision": "reassign", "note": "again"})
    conflict.refresh_from_db()
    assert conflict.status == "rejected"


def test_decision_without_a_reason_is_refused(client, staff, conflict):
    client.force_login(staff)
    url = reverse("verification:conflict_detail", args=[conflict.public_id])
    response = client.post(url, {"decision": "reject", "note": ""})
    assert response.status_code == 400
    assert "id_note_error" in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.status == "open"


def test_conflicts_page_has_a_constant_number_of_queries(client, staff, census, django_assert_max_num_queries):
    client.force_login(staff)
    url = reverse("verification:conflicts")
    holder = UserFactory()
    register_match(user=holder, **MARIE_TYPED)
    register_match(user=UserFactory(), **MARIE_TYPED)
    with_one = query_count(client, url)
    for _ in range(4):
        register_match(user=UserFactory(), **MARIE_TYPED)
    with django_assert_max_num_queries(with_one):
        response = client.get(url)
    assert response.content.decode().count(holder.public_name) == 5
