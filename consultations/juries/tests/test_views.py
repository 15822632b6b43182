"""Public pages, the registration form, the draw page and its files, and the staff pages."""

from __future__ import annotations

import io

import pytest
from django.urls import resolve, reverse

from civicplatform.core.models import AuditEvent

from .. import services
from ..models import Invitation, Registrant, RunStatus
from .factories import BALANCED, fr, make_invitations, make_jury, make_pool

pytestmark = pytest.mark.django_db


def registration_data(invitation, **changes):
    return {
        "code": invitation.response_code,
        "first_name": "Lou",
        "last_name": "Durand",
        "email": "lou@example.org",
        "phone": "",
        "answer_gender": "f",
        "answer_age": "young",
        "consent": "on",
    } | changes


class TestPublicPages:
    def test_the_list_shows_published_juries_only(self, client, django_assert_max_num_queries):
        make_jury(slug="public")
        for n in range(4):
            make_jury(slug=f"other-{n}")
        make_jury(slug="hidden", published=False)
        # The page's own query is one whatever the number of juries; the rest is the site chrome.
        with django_assert_max_num_queries(14):
            response = client.get(reverse("juries:index"))
        assert response.status_code == 200
        assert b"/jurys/public/" in response.content and b"/jurys/hidden/" not in response.content

    def test_the_jury_page_shows_remit_commitment_timeline_quotas_and_oversight(self, client):
        jury = make_jury()
        response = client.get(jury.get_absolute_url())
        content = response.content.decode()
        assert response.status_code == 200
        for text in (jury.question, "Le budget de la voirie", "Le maire répondra", "Association A", "Gender</caption>"):
            assert text in content
        assert reverse("juries:register", args=[jury.slug]) in content

    def test_an_unpublished_jury_is_404_for_the_public_and_visible_to_staff(self, client, staff):
        jury = make_jury(published=False)
        assert client.get(jury.get_absolute_url()).status_code == 404
        client.force_login(staff)
        assert client.get(jury.get_absolute_url()).status_code == 200

    def test_wrong_method_is_405(self, client):
        jury = make_jury()
        assert client.post(jury.get_absolute_url()).status_code == 405

    def test_urls_round_trip(self):
        assert resolve("/jurys/x/inscription/").view_name == "juries:register"
        assert reverse("juries:manage", args=["x"]) == "/jurys/x/gestion/"


class TestRegistrationForm:
    def test_the_code_from_the_letter_is_prefilled(self, client):
        jury = make_jury()
        response = client.get(reverse("juries:register", args=[jury.slug]) + "?code=ABCD")
        assert 'value="ABCD"' in response.content.decode()
        assert 'for="id_consent"' in response.content.decode()

    def test_a_volunteer_registers_and_sees_their_pseudonym(self, client):
        jury = make_jury()
        invitation = make_invitations(jury, 1)[0]
        response = client.post(reverse("juries:register", args=[jury.slug]), registration_data(invitation))
        assert response.status_code == 302
        person = Registrant.objects.get()
        assert person.answers == {"gender": "f", "age": "young"}
        page = client.get(response["Location"])
        assert person.pseudonym in page.content.decode()

    def test_a_wrong_code_is_a_400_with_the_error_on_the_field(self, client):
        jury = make_jury()
        make_invitations(jury, 1)
        response = client.post(
            reverse("juries:register", args=[jury.slug]), registration_data(Invitation(response_code="ZZZZZZZZZZ"))
        )
        assert response.status_code == 400
        assert fr("This code does not match any invitation letter for this jury.") in response.content.decode()
        assert not Registrant.objects.exists()

    def test_missing_consent_is_a_400(self, client):
        jury = make_jury()
        invitation = make_invitations(jury, 1)[0]
        data = registration_data(invitation)
        del data["consent"]
        response = client.post(reverse("juries:register", args=[jury.slug]), data)
        assert response.status_code == 400
        assert not Registrant.objects.exists()

    def test_registration_is_closed_outside_the_phase(self, client):
        jury = make_jury(open_recruitment=False)
        invitation = make_invitations(jury, 1)[0]
        response = client.post(reverse("juries:register", args=[jury.slug]), registration_data(invitation))
        assert response.status_code == 403
        assert not Registrant.objects.exists()

    def test_anonymous_registrations_are_rate_limited(self, client):
        jury = make_jury()
        make_invitations(jury, 1)
        url = reverse("juries:register", args=[jury.slug])
        # An address of its own: the limit counts per address in the (shared) cache.
        statuses = [client.post(url, {"code": "x"}, REMOTE_ADDR="192.0.2.77").status_code for _ in range(21)]
        assert statuses[-1] == 429


class TestDrawPage:
    def test_the_draw_page_lists_hashes_probabilities_and_files(self, client, staff):
        jury = make_jury()
        make_pool(jury, BALANCED)
        run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=50, actor=staff)
        url = reverse("juries:run", args=[jury.slug, run.public_id])
        assert "progress" in client.get(url).content.decode()
        run = services.selection_compute(run_id=run.pk, legacy_runs=5)
        run = services.selection_draw(run=run, dice="77", seeds=[], witnesses="Mme Témoin", actor=staff)
        content = client.get(url).content.decode()
        assert run.commitment in content and run.panels_sha256 in content
        assert "Mme Témoin" in content
        assert all(pseudonym in content for pseudonym in run.selected)
        response = client.get(reverse("juries:run_file", args=[jury.slug, run.public_id, "audit.json"]))
        assert response.status_code == 200 and run.commitment in response.content.decode()
        assert client.get(reverse("juries:run_file", args=[jury.slug, run.public_id, "secret.txt"])).status_code == 404

    def test_the_progress_fragment_is_served_alone(self, client, staff):
        jury = make_jury()
        make_pool(jury, BALANCED)
        run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=50, actor=staff)
        response = client.get(reverse("juries:run", args=[jury.slug, run.public_id]) + "?fragment=progress")
        assert "<progress" in response.content.decode() and "<html" not in response.content.decode()


class TestStaffPages:
    @pytest.mark.parametrize("name", ["manage", "register_by_phone"])
    def test_residents_get_403_and_anonymous_are_sent_to_login(self, client, resident, name):
        jury = make_jury()
        url = reverse(f"juries:{name}", args=[jury.slug])
        assert client.get(url).status_code == 302
        client.force_login(resident)
        assert client.get(url).status_code == 403

    def test_staff_draw_households_and_print_letters(self, client, staff):
        jury = make_jury()
        client.force_login(staff)
        upload = io.BytesIO(("address,postcode,city\n" + "".join(f"{n} rue A,37000,B\n" for n in range(30))).encode())
        upload.name = "liste.csv"
        response = client.post(reverse("juries:batch_create", args=[jury.slug]), {"addresses": upload, "size": 10})
        assert response.status_code == 302
        batch = jury.batches.get()
        assert batch.invitations.count() == 10 and batch.source_count == 30
        pdf = client.get(reverse("juries:batch_letters", args=[jury.slug, batch.pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
        assert AuditEvent.objects.filter(action="juries.letters_printed").exists()

    def test_asking_for_more_letters_than_households_is_a_400(self, client, staff):
        jury = make_jury()
        client.force_login(staff)
        upload = io.BytesIO(b"address,postcode\n1 rue A,37000\n")
        upload.name = "liste.csv"
        response = client.post(reverse("juries:batch_create", args=[jury.slug]), {"addresses": upload, "size": 5})
        assert response.status_code == 400
        assert fr("The list has only %(count)d households not yet invited.", count=1) in response.content.decode()

    def test_staff_register_a_caller(self, client, staff):
        jury = make_jury(open_recruitment=False)
        invitation = make_invitations(jury, 1)[0]
        client.force_login(staff)
        response = client.post(
            reverse("juries:register_by_phone", args=[jury.slug]),
            registration_data(invitation, email="", phone="0601020304"),
        )
        assert response.status_code == 302
        assert Registrant.objects.get().registered_by == staff

    def test_the_dashboard_explains_infeasible_quotas(self, client, staff):
        jury = make_jury()
        make_pool(jury, [("f", "young")] * 5)
        client.force_login(staff)
        content = client.get(reverse("juries:manage", args=[jury.slug])).content.decode()
        assert fr("No panel can be drawn yet:") in content
        response = client.post(
            reverse("juries:selection_start", args=[jury.slug]), {"algorithm": "maximin", "lottery_size": 100}
        )
        assert response.status_code == 400
        assert not jury.runs.exists()

    def test_staff_start_and_draw(self, client, staff, django_capture_on_commit_callbacks):
        jury = make_jury()
        make_pool(jury, BALANCED)
        client.force_login(staff)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("juries:selection_start", args=[jury.slug]), {"algorithm": "maximin", "lottery_size": 100}
            )
        assert response.status_code == 302
        run = jury.runs.get()
        assert run.status == RunStatus.COMPUTED
        draw_url = reverse("juries:selection_draw", args=[jury.slug, run.public_id])
        assert client.post(draw_url, {"dice": "1", "witnesses": "A"}).status_code == 400  # too few dice for 100 panels
        response = client.post(draw_url, {"dice": "1 2", "witnesses": "A"})
        assert response.status_code == 302
        run.refresh_from_db()
        assert run.status == RunStatus.DRAWN
