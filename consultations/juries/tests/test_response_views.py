"""The staff response page and the public pages: a recommendation with its vote, minority views,
answer and progress; the overview with its counts and filter; the link from the jury's page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import resolve, reverse
from django.utils import timezone, translation

from civicplatform.core.models import AuditEvent

from .. import services_response as services
from ..models import AuthorityResponse, Decision, JuryStatus, ProgressReport, ProgressStatus, Recommendation
from .factories import fr
from .factories_response import make_reported_jury

pytestmark = pytest.mark.django_db


def respond_url(jury, number=None):
    if number is None:
        return reverse("juries:respond", args=[jury.slug])
    return reverse("juries:respond_save", args=[jury.slug, number])


def response_data(number, decision="accepted", reasons="Nous planterons vingt arbres.", commitments="Avant 2027."):
    prefix = f"r{number}-"
    return {prefix + "decision": decision, prefix + "reasons": reasons, prefix + "commitments": commitments}


def answer(recommendation, staff, decision=Decision.ACCEPTED, reasons="Accepté sans réserve."):
    return services.response_publish(
        recommendation=recommendation, decision=decision, reasons=reasons, commitments="", actor=staff
    )


def text(response) -> str:
    # Collapse layout whitespace only: the French no-break spaces before ":" are part of the text.
    return re.sub(r"[ \t\r\n]+", " ", response.content.decode())


class TestStaffResponsePage:
    def test_anonymous_is_sent_to_login_and_a_citizen_is_refused(self, client, citizen):
        jury, _recommendations, _m, _f = make_reported_jury()
        for url in (respond_url(jury),):
            assert client.get(url).status_code == 302
        assert client.post(respond_url(jury, 1), response_data(1)).status_code == 302
        client.force_login(citizen)
        assert client.get(respond_url(jury)).status_code == 403
        assert client.post(respond_url(jury, 1), response_data(1)).status_code == 403
        progress_url = reverse("juries:progress_add", args=[jury.slug, 1])
        assert client.post(progress_url, {"p1-status": "done"}).status_code == 403
        assert not AuthorityResponse.objects.exists()

    def test_the_page_is_404_until_the_report_is_published(self, client, staff):
        jury, _recommendations, _m, _f = make_reported_jury(published=False)
        client.force_login(staff)
        assert client.get(respond_url(jury)).status_code == 404
        assert client.post(respond_url(jury, 1), response_data(1)).status_code == 404

    def test_it_lists_the_adopted_recommendations_with_a_form_each(self, client, staff, django_assert_max_num_queries):
        jury, recommendations, _m, _f = make_reported_jury(adopted=3)
        answer(recommendations[0], staff)
        client.force_login(staff)
        response = client.get(respond_url(jury))
        content = text(response)
        assert response.status_code == 200
        for number in (1, 2, 3):
            assert f'action="{respond_url(jury, number)}"' in content
        assert f'action="{respond_url(jury, 4)}"' not in content  # not adopted
        # Only the accepted one can get progress reports.
        assert reverse("juries:progress_add", args=[jury.slug, 1]) in content
        assert reverse("juries:progress_add", args=[jury.slug, 2]) not in content
        assert 'for="id_r2-reasons"' in content

    def test_the_count_of_answers_agrees_with_the_number_answered(self, client, staff):
        jury, recommendations, _m, _f = make_reported_jury(adopted=3)
        answer(recommendations[0], staff)
        client.force_login(staff)
        singular = "Response given to %(answered)s adopted recommendation out of %(total)s."
        plural = "Response given to %(answered)s adopted recommendations out of %(total)s."
        with translation.override("fr"):
            one = translation.ngettext(singular, plural, 1) % {"answered": 1, "total": 3}
            two = translation.ngettext(singular, plural, 2) % {"answered": 2, "total": 3}
        assert one in text(client.get(respond_url(jury)))
        answer(recommendations[1], staff)
        assert two in text(client.get(respond_url(jury)))

    def test_the_staff_page_query_count_does_not_grow_with_recommendations(
        self, client, staff, django_assert_max_num_queries
    ):
        small, few, _m, _f = make_reported_jury(slug="small", adopted=1)
        large, many, _m2, _f2 = make_reported_jury(slug="large", adopted=8)
        for recommendation in [*few, *many]:
            if recommendation.status == "adopted":
                answer(recommendation, staff)
        client.force_login(staff)
        client.get(respond_url(small))
        with django_assert_max_num_queries(25) as small_queries:
            client.get(respond_url(small))
        with django_assert_max_num_queries(len(small_queries.captured_queries)):
            assert client.get(respond_url(large)).status_code == 200

    def test_staff_publish_a_response_and_see_it_on_the_public_page(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        jury, _recommendations, _m, _f = make_reported_jury(adopted=1)
        client.force_login(staff)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(respond_url(jury, 1), response_data(1))
        assert response.status_code == 302 and response["Location"].endswith("#r1")
        saved = AuthorityResponse.objects.get()
        assert (saved.decision, saved.commitments, saved.responded_by) == ("accepted", "Avant 2027.", staff)
        jury.refresh_from_db()
        assert jury.status == JuryStatus.RESPONDED
        public = text(client.get(reverse("juries:recommendation", args=[jury.slug, 1])))
        assert "Nous planterons vingt arbres." in public and "Avant 2027." in public
        assert fr("updated on %(date)s", date="").strip() not in public

    def test_missing_reasons_are_a_400_with_the_error_on_the_field(self, client, staff):
        jury, _recommendations, _m, _f = make_reported_jury()
        client.force_login(staff)
        response = client.post(respond_url(jury, 2), response_data(2, reasons=""))
        assert response.status_code == 400
        content = response.content.decode()
        assert 'href="#id_r2-reasons"' in content and 'aria-invalid="true"' in content
        assert not AuthorityResponse.objects.exists()

    def test_a_correction_is_audited_and_the_public_page_says_updated_on(self, client, staff):
        jury, recommendations, _m, _f = make_reported_jury()
        first = answer(recommendations[0], staff)
        AuthorityResponse.objects.filter(pk=first.pk).update(
            responded_at=first.responded_at - datetime.timedelta(days=3),
            updated_at=first.responded_at - datetime.timedelta(days=3),
        )
        client.force_login(staff)
        response = client.post(respond_url(jury, 1), response_data(1, decision="partly", reasons="En partie."))
        assert response.status_code == 302
        assert AuditEvent.objects.filter(action="juries.response_updated", actor=staff).count() == 1
        client.logout()
        public = text(client.get(reverse("juries:recommendation", args=[jury.slug, 1])))
        today = timezone.localdate()
        with __import__("django").utils.translation.override("fr"):
            from django.utils.formats import date_format

            expected = fr("updated on %(date)s", date=date_format(today, "j F Y"))
        assert expected in public and "En partie." in public

    def test_a_not_adopted_recommendation_cannot_be_answered(self, client, staff):
        jury, _recommendations, _m, _f = make_reported_jury(adopted=1)
        client.force_login(staff)
        assert client.post(respond_url(jury, 2), response_data(2)).status_code == 404

    def test_wrong_method_is_405(self, client, staff):
        jury, _recommendations, _m, _f = make_reported_jury()
        client.force_login(staff)
        assert client.get(respond_url(jury, 1)).status_code == 405
        assert client.post(respond_url(jury)).status_code == 405

    def test_staff_report_progress_on_an_accepted_recommendation(
        self, client, staff, django_capture_on_commit_callbacks
    ):
        jury, recommendations, _m, _f = make_reported_jury()
        answer(recommendations[0], staff)
        client.force_login(staff)
        url = reverse("juries:progress_add", args=[jury.slug, 1])
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {"p1-reported_on": yesterday.isoformat(), "p1-status": "in_progress", "p1-text": "Premiers arbres."},
            )
        assert response.status_code == 302
        progress = ProgressReport.objects.get()
        assert (progress.reported_on, progress.status, progress.created_by) == (yesterday, "in_progress", staff)

    def test_a_progress_report_in_the_future_or_on_a_rejected_recommendation_is_refused(self, client, staff):
        jury, recommendations, _m, _f = make_reported_jury()
        answer(recommendations[0], staff)
        answer(recommendations[1], staff, Decision.REJECTED, "Non.")
        client.force_login(staff)
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = client.post(
            reverse("juries:progress_add", args=[jury.slug, 1]),
            {"p1-reported_on": tomorrow, "p1-status": "done", "p1-text": "Fait."},
        )
        assert response.status_code == 400 and 'href="#id_p1-reported_on"' in response.content.decode()
        response = client.post(
            reverse("juries:progress_add", args=[jury.slug, 2]),
            {"p2-reported_on": timezone.localdate().isoformat(), "p2-status": "done", "p2-text": "Fait."},
        )
        assert response.status_code == 400
        assert fr("Progress is reported on accepted or partly accepted recommendations only.") in text(response)
        assert not ProgressReport.objects.exists()


class TestRecommendationPage:
    def test_it_shows_text_rationale_vote_minority_view_response_and_timeline(self, client, staff):
        jury, recommendations, _m, _f = make_reported_jury()
        answer(recommendations[0], staff, Decision.PARTLY, "Seulement rue 1.")
        for days, status, words in (
            (30, ProgressStatus.NOT_STARTED, "Étude lancée."),
            (5, ProgressStatus.DONE, "Arbres plantés."),
        ):
            services.progress_report_add(
                recommendation=recommendations[0],
                status=status,
                text=words,
                reported_on=timezone.localdate() - datetime.timedelta(days=days),
                actor=staff,
            )
        content = text(client.get(reverse("juries:recommendation", args=[jury.slug, 1])))
        for expected in (
            "planter des arbres rue 1",
            "manque d’ombre",
            "Une autre voie",
            "Nous préférons des bancs.",
            "Seulement rue 1.",
            fr("Partly accepted"),
            fr("I strongly support it"),
            "<svg",
            "<table",
        ):
            assert expected in content, expected
        # R1: 8 votes, 6 of the 8 who did not abstain support it.
        assert "<td>4</td><td>50.0</td>" in content.replace(",", ".")
        # The timeline reads in order of dates.
        assert content.index("Étude lancée.") < content.index("Arbres plantés.")
        from django.utils import translation

        with translation.override("fr"):
            signed = translation.ngettext(
                "Signed by %(count)s member of the jury", "Signed by %(count)s members of the jury", 2
            ) % {"count": 2}
        assert signed in content

    def test_a_recommendation_not_adopted_says_it_gets_no_response(self, client):
        jury, _recommendations, _m, _f = make_reported_jury(adopted=1)
        response = client.get(reverse("juries:recommendation", args=[jury.slug, 2]))
        assert response.status_code == 200
        assert fr("The jury did not adopt this recommendation: the authority does not respond to it.") in text(response)

    def test_it_is_404_before_the_report_is_published_or_for_a_draft(self, client, staff):
        jury, _recommendations, _m, _f = make_reported_jury(published=False)
        assert client.get(reverse("juries:recommendation", args=[jury.slug, 1])).status_code == 404
        assert client.get(reverse("juries:response", args=[jury.slug])).status_code == 404
        other, _r, _m2, _f2 = make_reported_jury(slug="autre")
        Recommendation.objects.create(jury=other, number=9, title="Brouillon", text="…")
        assert client.get(reverse("juries:recommendation", args=[other.slug, 9])).status_code == 404
        assert client.get(reverse("juries:recommendation", args=[other.slug, 99])).status_code == 404

    def test_an_unpublished_jury_is_404(self, client):
        jury, _recommendations, _m, _f = make_reported_jury()
        jury.published = False
        jury.save()
        assert client.get(reverse("juries:recommendation", args=[jury.slug, 1])).status_code == 404

    def test_query_count_is_constant(self, client, staff, django_assert_max_num_queries):
        jury, recommendations, _m, _f = make_reported_jury()
        answer(recommendations[0], staff)
        for days in range(1, 12):
            services.progress_report_add(
                recommendation=recommendations[0],
                status=ProgressStatus.IN_PROGRESS,
                text=f"Étape {days}.",
                reported_on=timezone.localdate() - datetime.timedelta(days=days),
                actor=staff,
            )
        url = reverse("juries:recommendation", args=[jury.slug, 1])
        client.get(url)
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert "Étape 11." in text(response)


class TestOverview:
    def make(self, staff):
        jury, recommendations, _m, _f = make_reported_jury(adopted=4)
        answer(recommendations[0], staff, Decision.ACCEPTED, "Oui.")
        answer(recommendations[1], staff, Decision.PARTLY, "En partie.")
        answer(recommendations[2], staff, Decision.REJECTED, "Non.")
        services.progress_report_add(
            recommendation=recommendations[0],
            status=ProgressStatus.DONE,
            text="Fait.",
            reported_on=datetime.date(2026, 3, 2),
            actor=staff,
        )
        return jury

    def test_it_counts_decisions_and_lists_every_recommendation_with_its_latest_progress(self, client, staff):
        jury = self.make(staff)
        content = text(client.get(reverse("juries:response", args=[jury.slug])))
        for number in range(1, 6):
            assert reverse("juries:recommendation", args=[jury.slug, number]) in content
        for label in ("Accepted", "Partly accepted", "Rejected", "Awaiting a response", "Not adopted by the jury"):
            assert f"<dt>{fr(label)}</dt><dd>1</dd>" in content
        assert f'{fr("Done")} (<time datetime="2026-03-02">' in content

    @pytest.mark.parametrize(
        ("choice", "shown", "hidden"),
        [("rejected", [3], [1, 2, 4, 5]), ("pending", [4], [1, 2, 3, 5]), ("not_adopted", [5], [1, 2, 3, 4])],
    )
    def test_the_filter_by_decision_works_without_javascript(self, client, staff, choice, shown, hidden):
        jury = self.make(staff)
        content = text(client.get(reverse("juries:response", args=[jury.slug]), {"decision": choice}))
        for number in shown:
            assert reverse("juries:recommendation", args=[jury.slug, number]) in content
        for number in hidden:
            assert reverse("juries:recommendation", args=[jury.slug, number]) not in content

    def test_an_unknown_filter_is_a_400_with_a_message(self, client, staff):
        jury = self.make(staff)
        response = client.get(reverse("juries:response", args=[jury.slug]), {"decision": "peut-etre"})
        assert response.status_code == 400 and 'href="#id_decision"' in response.content.decode()

    def test_query_count_is_constant(self, client, staff, django_assert_max_num_queries):
        small = self.make(staff)
        large, recommendations, _m, _f = make_reported_jury(slug="grand", adopted=12)
        for recommendation in recommendations[:12]:
            answer(recommendation, staff)
            services.progress_report_add(
                recommendation=recommendation,
                status=ProgressStatus.IN_PROGRESS,
                text="En cours.",
                reported_on=timezone.localdate(),
                actor=staff,
            )
        client.get(reverse("juries:response", args=[small.slug]))
        with django_assert_max_num_queries(20) as captured:
            client.get(reverse("juries:response", args=[small.slug]))
        with django_assert_max_num_queries(len(captured.captured_queries)):
            response = client.get(reverse("juries:response", args=[large.slug]))
        assert reverse("juries:recommendation", args=[large.slug, 12]) in response.content.decode()


class TestJuryPage:
    def test_the_jury_page_links_to_the_response_once_the_report_is_published(self, client):
        jury, _recommendations, _m, _f = make_reported_jury()
        content = client.get(jury.get_absolute_url()).content.decode()
        assert reverse("juries:response", args=[jury.slug]) in content
        draft, _r, _m2, _f2 = make_reported_jury(slug="brouillon", published=False)
        assert (
            reverse("juries:response", args=[draft.slug]) not in client.get(draft.get_absolute_url()).content.decode()
        )

    def test_the_jury_page_has_a_follow_button(self, client, citizen):
        jury, _recommendations, _m, _f = make_reported_jury()
        assert fr("Log in to follow") in client.get(jury.get_absolute_url()).content.decode()
        client.force_login(citizen)
        content = client.get(jury.get_absolute_url()).content.decode()
        url = reverse("notifications:follow", kwargs={"model": "juries.jury", "ref": str(jury.pk)})
        assert f'action="{url}"' in content
        assert client.post(url, {"action": "follow", "next": jury.get_absolute_url()}).status_code == 302
        assert 'aria-pressed="true"' in client.get(jury.get_absolute_url()).content.decode()

    def test_urls_round_trip(self):
        assert resolve("/jurys/x/recommandations/3/").view_name == "juries:recommendation"
        assert reverse("juries:response", args=["x"]) == "/jurys/x/reponse/"
        assert reverse("juries:respond", args=["x"]) == "/jurys/x/gestion/reponse/"
