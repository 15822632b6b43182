"""The report: staff write and publish it once (status, audit, signal on commit); the public page with
adopted and not adopted recommendations, their support and the minority views (counts, never names),
in a constant number of queries. Also: personal data (export without ballots, erasure) and the demo."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import StaffFactory, UserFactory
from civicplatform.core.models import AuditEvent

from .. import personal_data
from .. import services_recommendations as services
from ..models import (
    JuryReport,
    JuryStatus,
    MinorityView,
    Recommendation,
    RecommendationRevision,
    RecommendationStatus,
    RecommendationVote,
    Seat,
    VoteStatus,
)
from ..signals import report_published
from .factories import fr
from .recommendations_setup import draft, open_vote, seat_members, seated_jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator():
    return StaffFactory(pseudonym="Animatrice")


def url(name, jury, *args):
    return reverse(f"juries:{name}", args=[jury.slug, *args])


def decided_jury(facilitator, *, drafts: int = 2, views: int = 1):
    """Members voted on `drafts` recommendations: odd numbers adopted, even ones not."""
    jury, members = seated_jury(3)
    recommendations = [draft(jury, members[0], n) for n in range(1, drafts + 1)]
    vote = open_vote(jury, facilitator, recommendations)
    for member in members:
        levels = {r.number: (5 if r.number % 2 else 1) for r in recommendations}
        services.recommendation_ballot_cast(vote=vote, person=member, levels=levels)
    services.recommendation_vote_close(vote=vote, actor=facilitator)
    for n in range(views):
        view = services.minority_view_create(
            jury=jury, actor=members[0], title=f"Avis minoritaire {n}", text="Nous ne sommes pas d'accord."
        )
        services.minority_view_toggle_signature(view=view, actor=members[1])
    return jury, members


class TestPublication:
    def test_staff_write_then_publish_the_report_and_the_signal_goes_on_commit(
        self, client, facilitator, django_capture_on_commit_callbacks
    ):
        jury, members = decided_jury(facilitator)
        received = []

        def receiver(sender, **kwargs):
            received.append(kwargs)

        report_published.connect(receiver, dispatch_uid="test-recommendations-report")
        try:
            client.force_login(facilitator)
            response = client.post(
                url("report_edit", jury), {"introduction": "Nous, membres du jury...", "method": "Six séances."}
            )
            assert response.status_code == 302
            assert client.get(url("report", jury)).status_code == 200  # staff preview
            client.logout()
            assert client.get(url("report", jury)).status_code == 404  # not public yet
            client.force_login(facilitator)
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                response = client.post(url("report_publish", jury))
            assert response.status_code == 302
            assert received == []  # nothing before commit
            for callback in callbacks:
                callback()
        finally:
            report_published.disconnect(dispatch_uid="test-recommendations-report")
        report = JuryReport.objects.get()
        jury.refresh_from_db()
        assert report.published_at is not None and report.published_by == facilitator
        assert jury.status == JuryStatus.REPORTED
        assert len(received) == 1 and received[0]["report"] == report and received[0]["jury"] == jury
        assert AuditEvent.objects.filter(action="juries.report_publish").count() == 1
        # Once only, and nothing changes any more.
        assert client.post(url("report_publish", jury)).status_code == 409
        assert client.post(url("report_edit", jury), {"introduction": "Autre"}).status_code == 400
        with pytest.raises(ValidationError):
            services.minority_view_create(jury=jury, actor=members[2], title="T", text="X")

    def test_a_report_cannot_be_published_while_a_vote_is_open(self, client, facilitator):
        jury, members = seated_jury(2)
        open_vote(jury, facilitator, [draft(jury, members[0])])
        services.report_save(jury=jury, actor=facilitator, introduction="Intro", method="")
        client.force_login(facilitator)
        response = client.post(url("report_publish", jury))
        assert response.status_code == 409
        assert fr("A vote is still open: close it before publishing the report.") in response.content.decode()
        assert JuryReport.objects.get().published_at is None

    def test_a_report_without_introduction_cannot_be_published(self, client, facilitator):
        jury, members = seated_jury(1)
        client.force_login(facilitator)
        assert client.post(url("report_publish", jury)).status_code == 409


class TestPublicReport:
    def test_the_public_report_shows_adopted_not_adopted_support_and_minority_views(self, client, facilitator):
        jury, members = decided_jury(facilitator, drafts=2, views=1)
        services.report_save(jury=jury, actor=facilitator, introduction="Nous avons travaillé.", method="Six séances.")
        services.report_publish(jury=jury, actor=facilitator)
        response = client.get(url("report", jury))
        assert response.status_code == 200
        page = response.content.decode()
        adopted, rest = page.split('id="not-adopted-title"')
        assert "R1. Titre 1" in adopted and "R2. Titre 2" not in adopted
        assert "R2. Titre 2" in rest.split('id="minority-title"')[0]
        assert "Nous avons travaillé." in page and "Six séances." in page
        assert page.count('class="bar-chart"') == 2
        assert "Avis minoritaire 0" in page
        for member in members:
            assert member.jury_seats.get().registrant.pseudonym not in page
            assert member.pseudonym not in page
        # The public page of each recommendation (the authority's response) is linked once it exists.
        assert url("recommendation", jury, 1) in page
        # Printable: the page carries the print stylesheet.
        assert "juries/recommendations" in page and ".css" in page

    def test_the_report_page_has_a_constant_number_of_queries(self, client, facilitator, django_assert_max_num_queries):
        jury, members = decided_jury(facilitator, drafts=1, views=1)
        services.report_save(jury=jury, actor=facilitator, introduction="Intro", method="")
        services.report_publish(jury=jury, actor=facilitator)
        client.get(url("report", jury))
        with django_assert_max_num_queries(30) as few:
            client.get(url("report", jury))
        # Many more recommendations, votes and minority views: the same number of queries.
        for _round in range(3):
            extra = [
                Recommendation.objects.create(jury=jury, number=100 + n + 10 * _round, title=f"Extra {n}", text="T")
                for n in range(4)
            ]
            vote = RecommendationVote.objects.create(
                jury=jury, title="V", closes_at=timezone.now(), status=VoteStatus.CLOSED, closed_at=timezone.now()
            )
            vote.recommendations.set(extra)
            vote.tally = {str(r.number): {"5": 2, "1": 1, "0": 0} for r in extra}
            vote.save()
            Recommendation.objects.filter(pk__in=[r.pk for r in extra]).update(status=RecommendationStatus.ADOPTED)
            for n in range(3):
                view = MinorityView.objects.create(jury=jury, title=f"Vue {_round}-{n}", text="X")
                view.signatories.add(*members)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url("report", jury))
        assert "Extra 3" in response.content.decode() and "Vue 2-2" in response.content.decode()

    def test_the_public_jury_page_links_the_published_report(self, client, facilitator):
        jury, members = decided_jury(facilitator, drafts=1, views=0)
        assert url("report", jury) not in client.get(jury.get_absolute_url()).content.decode()
        services.report_save(jury=jury, actor=facilitator, introduction="Intro", method="")
        services.report_publish(jury=jury, actor=facilitator)
        assert url("report", jury) in client.get(jury.get_absolute_url()).content.decode()


class TestPersonalData:
    def test_export_has_versions_and_minority_views_but_never_ballots(self, facilitator):
        jury, members = seated_jury(2)
        recommendation = draft(jury, members[0], text="Mon texte à moi.")
        vote = open_vote(jury, facilitator, [recommendation])
        services.recommendation_ballot_cast(vote=vote, person=members[0], levels={1: 5})
        view = services.minority_view_create(jury=jury, actor=members[1], title="Vue", text="Contre.")
        services.minority_view_toggle_signature(view=view, actor=members[0])
        rows = personal_data.export_recommendations(members[0])
        assert {row["kind"] for row in rows} == {"recommendation version", "minority view"}
        assert any(row.get("text") == "Mon texte à moi." for row in rows)
        assert [row["signed_by_you"] for row in rows if row["kind"] == "minority view"] == [True]
        # Nothing about the vote: no ballot, no level, not even the fact of having voted.
        assert all(not ({"choices", "level", "levels", "receipt", "vote"} & set(row)) for row in rows)
        assert all(row["kind"] != "ballot" for row in rows)
        assert personal_data.export_recommendations(UserFactory()) == []

    def test_erasure_unlinks_the_author_and_the_signature(self):
        jury, members = seated_jury(2)
        recommendation = draft(jury, members[0])
        view = services.minority_view_create(jury=jury, actor=members[0], title="Vue", text="Contre.")
        personal_data.erase_recommendations(members[0])
        recommendation.refresh_from_db()
        view.refresh_from_db()
        assert recommendation.created_by is None
        assert not RecommendationRevision.objects.filter(edited_by=members[0]).exists()
        assert view.created_by is None and view.signatories.count() == 0
        assert Recommendation.objects.filter(pk=recommendation.pk).exists()


class TestDemo:
    def test_the_demo_has_drafts_an_open_vote_the_citizen_can_cast_and_a_minority_view(self, facilitator):
        from ..demo_recommendations import CITIZEN, STAFF, load

        jury, members = seated_jury(5)
        StaffFactory(email=STAFF)
        citizen = UserFactory(email=CITIZEN)
        Seat.objects.create(jury=jury, registrant=seat_registrant(jury), user=citizen)
        load(jury)
        assert jury.recommendations.count() == 5
        assert RecommendationRevision.objects.filter(recommendation__jury=jury).count() > 5
        vote = jury.votes.get()
        assert vote.status == VoteStatus.OPEN and vote.recommendations.count() == 3
        assert MinorityView.objects.get(jury=jury).signatories.count() == 2
        assert services.recommendation_ballot_cast(vote=vote, person=citizen, levels={1: 4, 2: 4, 3: 0})
        load(jury)
        assert jury.recommendations.count() == 5 and jury.votes.count() == 1


def seat_registrant(jury):
    """A confirmed registrant without seat (for the demo citizen)."""
    user = seat_members(jury, 1, start=90)[0]
    seat = Seat.objects.get(user=user)
    registrant = seat.registrant
    seat.delete()
    get_user_model().objects.filter(pk=user.pk).delete()
    return registrant


def published_jury(facilitator):
    jury, members = decided_jury(facilitator)
    services.report_save(jury=jury, actor=facilitator, introduction="Nous, membres du jury...", method="")
    services.report_publish(jury=jury, actor=facilitator)
    return jury, members


class TestPublishingConfirmation:
    def test_staff_confirm_on_a_page_before_the_report_is_published(self, client, facilitator):
        jury, members = decided_jury(facilitator)
        services.report_save(jury=jury, actor=facilitator, introduction="Nous, membres du jury...", method="")
        client.force_login(facilitator)
        publish_url = url("report_publish", jury)
        edit_page = client.get(url("report_edit", jury)).content.decode()
        assert f'href="{publish_url}"' in edit_page and f'action="{publish_url}"' not in edit_page
        response = client.get(publish_url)
        assert response.status_code == 200 and f'action="{publish_url}"' in response.content.decode()
        assert JuryReport.objects.get().published_at is None  # the confirmation page publishes nothing
        assert client.post(publish_url).status_code == 302
        assert JuryReport.objects.get().published_at is not None
        assert client.get(publish_url).status_code == 302  # already published: to the report

    def test_members_do_not_reach_the_confirmation(self, client, facilitator):
        jury, members = decided_jury(facilitator)
        client.force_login(members[0])
        assert client.get(url("report_publish", jury)).status_code == 403


class TestAfterPublication:
    """Once the report is published, drafting is over: services refuse, pages no longer offer it."""

    def test_services_refuse_every_drafting_change(self, facilitator):
        jury, members = decided_jury(facilitator, drafts=2)
        leftover = draft(jury, members[0], 3)
        services.report_save(jury=jury, actor=facilitator, introduction="Intro", method="")
        services.report_publish(jury=jury, actor=facilitator)
        with pytest.raises(ValidationError):
            services.recommendation_update(
                recommendation=leftover,
                actor=members[0],
                title="Autre",
                text="Autre",
                base_revision=services.latest_revision_id(leftover),
            )
        with pytest.raises(ValidationError):
            services.recommendation_withdraw(recommendation=leftover, actor=members[0])
        with pytest.raises(ValidationError):
            services.recommendation_create(jury=jury, actor=members[0], title="T", text="X")
        leftover.refresh_from_db()
        assert leftover.status == RecommendationStatus.DRAFT and leftover.title == "Titre 3"

    def test_pages_refuse_with_a_409_and_hide_the_buttons(self, client, facilitator):
        jury, members = decided_jury(facilitator, drafts=2)
        leftover = draft(jury, members[0], 3)
        services.report_save(jury=jury, actor=facilitator, introduction="Intro", method="")
        services.report_publish(jury=jury, actor=facilitator)
        closed = fr("The report has been published: the jury's work is closed.")
        for who in (members[0], facilitator):
            client.force_login(who)
            listing = client.get(url("recommendations", jury)).content.decode()
            assert url("recommendation_create", jury) not in listing
            assert url("recommendation_vote_open", jury) not in listing
            edit_page = client.get(url("recommendation_edit", jury, 3)).content.decode()
            assert url("recommendation_withdraw", jury, 3) not in edit_page
            assert 'name="base_revision"' not in edit_page
            response = client.get(url("recommendation_create", jury))
            assert response.status_code == 409 and closed in response.content.decode()
            assert client.get(url("recommendation_withdraw", jury, 3)).status_code == 409
            assert client.post(url("recommendation_withdraw", jury, 3)).status_code == 409
            data = {"title": "T", "text": "X", "base_revision": services.latest_revision_id(leftover)}
            assert client.post(url("recommendation_edit", jury, 3), data).status_code == 409
        assert client.get(url("recommendation_vote_open", jury)).status_code == 409
        leftover.refresh_from_db()
        assert leftover.status == RecommendationStatus.DRAFT and leftover.title == "Titre 3"


class TestReportContent:
    def test_only_minority_views_on_recommendations_in_the_report_are_published(self, client, facilitator):
        jury, members = decided_jury(facilitator, drafts=2, views=1)  # a general view
        never_voted = draft(jury, members[0], 3)
        for number, recommendation in ((1, Recommendation.objects.get(jury=jury, number=1)), (3, never_voted)):
            services.minority_view_create(
                jury=jury,
                actor=members[1],
                title=f"Avis sur R{number}",
                text="Nous ne sommes pas d'accord.",
                recommendation=recommendation,
            )
        services.report_save(jury=jury, actor=facilitator, introduction="Intro", method="")
        services.report_publish(jury=jury, actor=facilitator)
        page = client.get(url("report", jury)).content.decode()
        assert "Avis minoritaire 0" in page and "Avis sur R1" in page
        assert "Avis sur R3" not in page and "Titre 3" not in page

    def test_a_not_adopted_recommendation_is_not_headed_as_recommended_by_the_jury(self, client, facilitator):
        jury, members = published_jury(facilitator)  # R1 adopted, R2 not adopted, both with a rationale
        page = client.get(url("report", jury)).content.decode()
        assert page.count(fr("Why the jury recommends it")) == 1
        assert page.count(fr("Rationale given by its authors")) == 1
        assert page.index(fr("Why the jury recommends it")) < page.index("R2. Titre 2")
        assert page.index(fr("Rationale given by its authors")) > page.index("R2. Titre 2")

    def test_the_staff_link_to_the_report_editor_is_not_the_abuse_report_label(self, client, facilitator):
        jury, members = decided_jury(facilitator)
        client.force_login(facilitator)
        page = client.get(url("recommendations", jury)).content.decode()
        editor = re.escape(url("report_edit", jury))
        link = re.search(rf'href="{editor}"[^>]*>([^<]*)</a>', page)
        assert link is not None and link.group(1) == fr("The jury's report")
        assert ">Signaler</a>" not in page
