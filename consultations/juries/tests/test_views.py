"""Public pages, the registration form, the draw page and its files, and the staff pages."""

from __future__ import annotations

import datetime
import io

import pytest
from django.template.defaultfilters import floatformat
from django.urls import resolve, reverse
from django.utils import timezone, translation

from civicplatform.core.models import AuditEvent

from .. import services
from ..models import Invitation, JuryStatus, Registrant, RunStatus, SelectionRun
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

    def test_the_timeline_says_1er_for_the_first_of_the_month_and_a_fixed_quota_shows_one_number(self, client):
        jury = make_jury(open_recruitment=False)
        jury.phases.update(
            starts_at=datetime.datetime(2026, 4, 1, 10, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2026, 7, 1, 10, tzinfo=datetime.UTC),
        )
        content = client.get(jury.get_absolute_url()).content.decode()
        assert "1er avril 2026" in content and "1er juillet 2026" in content
        assert '<th scope="row">F</th><td>–</td><td>2</td>' in content  # min = max = 2
        assert '<th scope="row">Young</th><td>–</td><td>1–3</td>' in content

    def test_after_recruitment_the_page_offers_no_registration(self, client):
        jury = make_jury(open_recruitment=False)
        content = client.get(jury.get_absolute_url()).content.decode()
        assert reverse("juries:register", args=[jury.slug]) not in content
        assert fr("I received a letter: volunteer") not in content
        response = client.get(reverse("juries:register", args=[jury.slug]))
        assert 'name="code"' not in response.content.decode()

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

    def _drawn_run(self, staff, *, dice="4073"):
        jury = make_jury()
        make_pool(jury, BALANCED)
        run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=50, actor=staff)
        run = services.selection_compute(run_id=run.pk, legacy_runs=5)
        run = services.selection_draw(run=run, dice=dice, seeds=[], witnesses="Mme Témoin", actor=staff)
        return jury, run

    def test_the_composition_shows_labels_and_the_randomness_reads_as_words(self, client, staff):
        jury, run = self._drawn_run(staff)
        content = client.get(reverse("juries:run", args=[jury.slug, run.public_id])).content.decode()
        assert "<td>Gender</td><td>F</td><td>2</td>" in content  # labels, and "2" rather than "2–2"
        assert "<td>Age</td><td>Young</td><td>1–3</td>" in content
        assert "<td>gender</td>" not in content and "<td>young</td>" not in content
        assert "4 0 7 3" in content and "&quot;dice&quot;" not in content
        assert fr("No seed from the parties: the dice alone decided.") in content
        assert "<code>python manage.py jury_verify &lt;" in content

    def test_the_seeds_of_the_parties_are_listed(self, client, staff):
        jury, run = self._drawn_run(staff)
        SelectionRun.objects.filter(pk=run.pk).update(randomness_json='{"dice":"4073","seeds":["graine-mairie"]}')
        content = client.get(reverse("juries:run", args=[jury.slug, run.public_id])).content.decode()
        assert '<li><code class="hash">graine-mairie</code></li>' in content
        assert fr("No seed from the parties: the dice alone decided.") not in content

    def test_the_minimum_chance_is_a_percentage_with_two_decimals(self, client, staff):
        jury, run = self._drawn_run(staff)
        content = client.get(reverse("juries:run", args=[jury.slug, run.public_id])).content.decode()
        with translation.override("fr"):
            expected = floatformat(run.min_probability * 100, 2)
        # French puts a no-break space before "%".
        assert "," in expected and f"{expected}\u00a0%" in content
        assert fr("Legacy greedy, estimated chance in percent") in content

    def test_without_legacy_figures_the_column_is_hidden_and_explained(self, client, staff):
        jury, run = self._drawn_run(staff)
        SelectionRun.objects.filter(pk=run.pk).update(legacy_probabilities={}, legacy_min_probability=None)
        content = client.get(reverse("juries:run", args=[jury.slug, run.public_id])).content.decode()
        assert fr("Legacy greedy, estimated chance in percent") not in content
        assert fr("Legacy greedy (estimate)") not in content
        assert (
            fr(
                "No comparison with the greedy method used before 2020 was computed for this draw, "
                "so the table shows only the fair algorithm."
            )
            in content
        )

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

    def test_the_dashboard_links_to_recommendations_report_and_response(self, client, staff):
        jury = make_jury()
        client.force_login(staff)
        content = client.get(reverse("juries:manage", args=[jury.slug])).content.decode()
        assert reverse("juries:recommendations", args=[jury.slug]) in content
        assert reverse("juries:report_edit", args=[jury.slug]) in content
        assert reverse("juries:respond", args=[jury.slug]) not in content  # no published report yet
        from ..models import JuryReport

        JuryReport.objects.create(jury=jury, published_at=timezone.now())
        content = client.get(reverse("juries:manage", args=[jury.slug])).content.decode()
        assert reverse("juries:respond", args=[jury.slug]) in content
        assert f'href="{reverse("juries:response", args=[jury.slug])}"' in content

    def test_once_the_panel_sits_feasibility_no_longer_warns(self, client, staff):
        jury = make_jury()
        make_pool(jury, [("f", "young")] * 5)
        jury.status = JuryStatus.DELIBERATING
        jury.save(update_fields=["status"])
        client.force_login(staff)
        content = client.get(reverse("juries:manage", args=[jury.slug])).content.decode()
        assert fr("No panel can be drawn yet:") not in content
        assert fr("The panel is drawn and seated: these quotas were used for its selection.") in content

    def test_the_count_of_people_drawn_agrees_with_the_number(self, client, staff):
        jury = make_jury()
        make_pool(jury, BALANCED)
        client.force_login(staff)
        url = reverse("juries:manage", args=[jury.slug])
        with translation.override("fr"):
            singular = translation.ngettext("Person drawn", "People drawn", 1)
            plural = translation.ngettext("Person drawn", "People drawn", 12)
        Registrant.objects.filter(pk=Registrant.objects.filter(jury=jury).first().pk).update(status="selected")
        assert f"<dt>{singular}</dt><dd>1</dd>" in client.get(url).content.decode()
        Registrant.objects.filter(jury=jury).update(status="selected")
        assert f"<dt>{plural}</dt><dd>12</dd>" in client.get(url).content.decode()

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


class TestDateFilter:
    def test_the_first_of_the_month_reads_1er_in_french_only(self):
        from ..templatetags.juries_format import day_date

        first, second = datetime.date(2026, 4, 1), datetime.date(2026, 4, 2)
        with translation.override("fr"):
            assert day_date(first) == "1er avril 2026"
            assert day_date(second) == "2 avril 2026"
            assert day_date(datetime.date(2026, 11, 24), "l j F Y") == "mardi 24 novembre 2026"
        with translation.override("en"):
            assert day_date(first) == "1 April 2026"
