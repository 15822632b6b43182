"""The secret vote on recommendations: opening, casting with a receipt, changing, secrecy of the
ballot and of the results until closing, closing (by staff or on time), the tally and the adoption rule."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import StaffFactory
from civicplatform.ballots import services as ballots
from civicplatform.ballots.models import ParticipationLedger, SecretBallot
from civicplatform.core.models import AuditEvent

from .. import services_recommendations as services
from ..models import RecommendationStatus, RecommendationVote, VoteStatus
from .factories import fr
from .recommendations_setup import draft, open_vote, seat_members, seated_jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator():
    return StaffFactory(pseudonym="Animatrice")


@pytest.fixture
def voting(facilitator):
    """A jury of 4 members, R1..R3 drafted, R1 and R2 put to the vote (threshold 50 %)."""
    jury, members = seated_jury(4)
    recommendations = [draft(jury, members[0], n) for n in (1, 2, 3)]
    vote = open_vote(jury, facilitator, recommendations[:2])
    return jury, members, recommendations, vote


def url(name, jury, *args):
    return reverse(f"juries:{name}", args=[jury.slug, *args])


def turnout_text(n: int, seated: int) -> str:
    from django.utils import translation

    with translation.override("fr"):
        text = translation.ngettext(
            "%(n)s member of %(seated)s has voted.", "%(n)s members of %(seated)s have voted.", n
        )
    return text % {"n": n, "seated": seated}


def ballot_data(levels: dict[int, int], **extra):
    return {f"r{n}": str(level) for n, level in levels.items()} | extra


class TestOpening:
    def test_staff_open_a_vote_on_chosen_drafts_which_leave_drafting(self, client, facilitator):
        jury, members = seated_jury(2)
        for n in (1, 2, 3):
            draft(jury, members[0], n)
        client.force_login(facilitator)
        chosen = list(jury.recommendations.filter(number__in=[1, 3]).values_list("pk", flat=True))
        closes = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            url("recommendation_vote_open", jury),
            {"title": "Premier vote", "recommendations": chosen, "closes_at": closes, "threshold_percent": "60"},
        )
        assert response.status_code == 302
        vote = RecommendationVote.objects.get()
        assert vote.threshold_percent == 60 and vote.status == VoteStatus.OPEN
        statuses = dict(jury.recommendations.values_list("number", "status"))
        assert statuses == {1: "voting", 2: "draft", 3: "voting"}
        assert AuditEvent.objects.filter(action="juries.vote_open").exists()

    def test_a_closing_time_in_the_past_or_a_bad_threshold_is_a_400(self, client, facilitator):
        jury, members = seated_jury(1)
        recommendation = draft(jury, members[0])
        client.force_login(facilitator)
        past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        data = {"title": "V", "recommendations": [recommendation.pk], "closes_at": past, "threshold_percent": "50"}
        response = client.post(url("recommendation_vote_open", jury), data)
        assert response.status_code == 400
        assert fr("The closing time must be in the future.") in response.content.decode()
        future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            url("recommendation_vote_open", jury), data | {"closes_at": future, "threshold_percent": "0"}
        )
        assert response.status_code == 400
        assert not RecommendationVote.objects.exists()

    def test_a_draft_already_put_to_the_vote_cannot_be_put_again(self, voting, facilitator):
        jury, members, recommendations, vote = voting
        with pytest.raises(ValidationError):
            open_vote(jury, facilitator, [recommendations[0]])


class TestCasting:
    def test_a_member_sees_one_fieldset_per_recommendation_and_votes_with_a_receipt(self, client, voting):
        jury, members, recommendations, vote = voting
        client.force_login(members[0])
        page = client.get(url("recommendation_vote", jury, vote.pk)).content.decode()
        form = page.split('class="support-ballot"')[1].split("</form>")[0]
        assert form.count("<fieldset") == 2
        assert "<legend>R1. Titre 1" in form and "<legend>R2. Titre 2" in form
        assert "R3. Titre 3" not in form
        assert form.count('type="radio"') == 12
        assert fr("I abstain") in form and fr("I strongly support it") in form
        response = client.post(url("recommendation_vote", jury, vote.pk), ballot_data({1: 5, 2: 0}))
        assert response.status_code == 302
        assert response["Location"] == url("recommendation_vote_done", jury, vote.pk)
        done = client.get(response["Location"]).content.decode()
        ballot = SecretBallot.objects.get()
        assert ballot.choices == {"1": 5, "2": 0}
        receipt = done.split("data-receipt><strong>")[1].split("</strong>")[0]
        assert ballots.ballot_verify(election=vote, person=members[0], receipt=receipt) == ballot

    def test_a_ballot_missing_a_level_is_a_400_and_nothing_is_recorded(self, client, voting):
        jury, members, recommendations, vote = voting
        client.force_login(members[0])
        response = client.post(url("recommendation_vote", jury, vote.pk), ballot_data({1: 4}))
        assert response.status_code == 400
        assert fr("Choose a level of support, or abstain.") in response.content.decode()
        response = client.post(url("recommendation_vote", jury, vote.pk), ballot_data({1: 4, 2: 9}))
        assert response.status_code == 400
        assert not SecretBallot.objects.exists() and not ParticipationLedger.objects.exists()

    def test_a_superuser_who_does_not_sit_cannot_vote(self, client, voting):
        jury, members, recommendations, vote = voting
        admin = StaffFactory(pseudonym="Admin", is_superuser=True)
        client.force_login(admin)
        response = client.post(url("recommendation_vote", jury, vote.pk), ballot_data({1: 5, 2: 5}))
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.recommendation_ballot_cast(vote=vote, person=admin, levels={1: 5, 2: 5})
        assert not SecretBallot.objects.exists() and not ParticipationLedger.objects.exists()

    def test_a_second_vote_is_refused_and_sends_to_the_change_page(self, client, voting):
        jury, members, recommendations, vote = voting
        client.force_login(members[0])
        client.post(url("recommendation_vote", jury, vote.pk), ballot_data({1: 5, 2: 1}))
        response = client.post(url("recommendation_vote", jury, vote.pk), ballot_data({1: 1, 2: 1}))
        assert response.status_code == 302
        assert response["Location"] == url("recommendation_vote_change", jury, vote.pk)
        assert SecretBallot.objects.get().choices == {"1": 5, "2": 1}
        with pytest.raises(ballots.AlreadyVoted):
            services.recommendation_ballot_cast(vote=vote, person=members[0], levels={1: 1, 2: 1})

    def test_a_member_changes_their_ballot_with_the_receipt_until_closing(self, client, voting):
        jury, members, recommendations, vote = voting
        receipt = services.recommendation_ballot_cast(vote=vote, person=members[1], levels={1: 2, 2: 2})
        client.force_login(members[1])
        # "Show my current ballot" fills the form from the receipt.
        response = client.post(url("recommendation_vote_change", jury, vote.pk), {"receipt": receipt, "action": "load"})
        assert response.status_code == 200
        checked = [
            line for line in response.content.decode().splitlines() if "checked" in line and 'type="radio"' in line
        ]
        assert len(checked) == 2 and all('value="2"' in line for line in checked)
        wrong = client.post(
            url("recommendation_vote_change", jury, vote.pk),
            ballot_data({1: 5, 2: 5}, receipt="AAAA-AAAA-AAAA-AAAA", action="change"),
        )
        assert wrong.status_code == 400
        assert SecretBallot.objects.get().choices == {"1": 2, "2": 2}
        response = client.post(
            url("recommendation_vote_change", jury, vote.pk),
            ballot_data({1: 5, 2: 4}, receipt=receipt, action="change"),
        )
        assert response.status_code == 302
        assert SecretBallot.objects.get().choices == {"1": 5, "2": 4}
        assert SecretBallot.objects.count() == 1

    def test_nobody_votes_after_the_closing_time_even_before_anyone_closed_it(self, voting):
        jury, members, recommendations, vote = voting
        later = vote.closes_at + datetime.timedelta(seconds=1)
        with pytest.raises(ValidationError):
            services.recommendation_ballot_cast(vote=vote, person=members[0], levels={1: 5, 2: 5}, now=later)


class TestSecrecy:
    def test_the_ballot_holds_no_person_and_the_audit_no_choice(self, voting):
        jury, members, recommendations, vote = voting
        services.recommendation_ballot_cast(vote=vote, person=members[0], levels={1: 5, 2: 1})
        ballot = SecretBallot.objects.values().get()
        assert set(ballot) == {"id", "election_type_id", "election_id", "receipt_hash", "choices", "channel"}
        event = AuditEvent.objects.get(action="ballots.cast")
        assert "choices" not in event.data and "5" not in str(event.data)

    def test_no_results_before_closing_for_anyone_but_the_turnout(self, client, voting, facilitator):
        jury, members, recommendations, vote = voting
        for member in members[:3]:
            services.recommendation_ballot_cast(vote=vote, person=member, levels={1: 5, 2: 1})
        for person in (members[0], facilitator):
            client.force_login(person)
            page = client.get(url("recommendation_vote", jury, vote.pk)).content.decode()
            assert "bar-chart" not in page and fr("Results") not in page
            assert turnout_text(3, 4) in page
        vote.refresh_from_db()
        assert vote.tally == {}

    def test_the_list_shows_turnout_and_whether_i_voted(self, client, voting):
        jury, members, recommendations, vote = voting
        services.recommendation_ballot_cast(vote=vote, person=members[0], levels={1: 5, 2: 1})
        client.force_login(members[0])
        page = client.get(url("recommendations", jury)).content.decode()
        assert fr("You have voted.") in page
        client.force_login(members[1])
        page = client.get(url("recommendations", jury)).content.decode()
        assert fr("Vote now") in page


class TestClosingAndTally:
    def test_the_adoption_rule_at_the_threshold_boundary(self):
        # 2 supporting out of 4 expressed = 50 %: adopted at 50, not at 51. Abstentions do not count.
        counts = {"5": 1, "4": 1, "3": 1, "1": 1, "0": 7}
        assert services.is_adopted(counts, 50)
        assert not services.is_adopted(counts, 51)
        # "I can live with it" is not support.
        assert not services.is_adopted({"3": 10}, 1)
        # Only abstentions: nothing to adopt.
        assert not services.is_adopted({"0": 4}, 1)
        # Two thirds, threshold 67: 66.67 % is below.
        assert not services.is_adopted({"4": 2, "2": 1}, 67)
        assert services.is_adopted({"4": 2, "2": 1}, 66)

    def test_staff_close_the_vote_which_counts_ballots_and_decides(self, client, facilitator):
        jury, members = seated_jury(4)
        r1, r2 = draft(jury, members[0], 1), draft(jury, members[0], 2)
        vote = open_vote(jury, facilitator, [r1, r2], threshold=50)
        # R1: 5, 4, 2, 0 -> 2 of 3 expressed support = 66.7 % -> adopted.
        # R2: 4, 1, 2, 0 -> 1 of 3 = 33.3 % -> not adopted.
        for member, levels in zip(members, ({1: 5, 2: 4}, {1: 4, 2: 1}, {1: 2, 2: 2}, {1: 0, 2: 0}), strict=True):
            services.recommendation_ballot_cast(vote=vote, person=member, levels=levels)
        client.force_login(facilitator)
        response = client.post(url("recommendation_vote_close", jury, vote.pk))
        assert response.status_code == 302
        vote.refresh_from_db()
        assert vote.status == VoteStatus.CLOSED and vote.closed_at is not None
        assert vote.tally == {
            "1": {"5": 1, "4": 1, "3": 0, "2": 1, "1": 0, "0": 1},
            "2": {"5": 0, "4": 1, "3": 0, "2": 1, "1": 1, "0": 1},
        }
        r1.refresh_from_db()
        r2.refresh_from_db()
        assert r1.status == RecommendationStatus.ADOPTED and r2.status == RecommendationStatus.NOT_ADOPTED
        page = client.get(url("recommendation_vote", jury, vote.pk)).content.decode()
        assert "66,7" in page or "66.7" in page
        assert page.count('class="bar-chart"') == 2
        assert AuditEvent.objects.filter(action="juries.vote_close").count() == 1
        # Closing again changes nothing.
        services.recommendation_vote_close(vote=vote, actor=facilitator)
        assert AuditEvent.objects.filter(action="juries.vote_close").count() == 1

    def test_a_vote_past_its_closing_time_is_closed_on_the_first_read(self, client, voting):
        jury, members, recommendations, vote = voting
        services.recommendation_ballot_cast(vote=vote, person=members[0], levels={1: 5, 2: 1})
        RecommendationVote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
        client.force_login(members[1])
        page = client.get(url("recommendation_vote", jury, vote.pk)).content.decode()
        vote.refresh_from_db()
        assert vote.status == VoteStatus.CLOSED
        assert fr("Results") in page
        statuses = dict(jury.recommendations.values_list("number", "status"))
        assert statuses == {1: "adopted", 2: "not_adopted", 3: "draft"}
        response = client.post(url("recommendation_vote", jury, vote.pk), ballot_data({1: 5, 2: 5}))
        assert response.status_code == 403

    def test_the_beat_task_closes_due_votes(self, voting):
        from ..tasks import recommendation_votes_close

        jury, members, recommendations, vote = voting
        assert recommendation_votes_close() == 0
        RecommendationVote.objects.filter(pk=vote.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
        assert recommendation_votes_close() == 1
        vote.refresh_from_db()
        assert vote.status == VoteStatus.CLOSED

    def test_a_member_seated_later_votes_too(self, voting):
        jury, members, recommendations, vote = voting
        late = seat_members(jury, 1, start=50)[0]
        assert services.recommendation_ballot_cast(vote=vote, person=late, levels={1: 3, 2: 3})


class TestClosingConfirmationAndNotice:
    def test_staff_confirm_on_a_page_before_the_vote_closes(self, client, voting, facilitator):
        jury, members, recommendations, vote = voting
        client.force_login(facilitator)
        close_url = url("recommendation_vote_close", jury, vote.pk)
        vote_page = client.get(url("recommendation_vote", jury, vote.pk)).content.decode()
        assert f'href="{close_url}"' in vote_page and f'action="{close_url}"' not in vote_page
        response = client.get(close_url)
        assert response.status_code == 200
        assert "Vote final" in response.content.decode() and f'action="{close_url}"' in response.content.decode()
        vote.refresh_from_db()
        assert vote.status == VoteStatus.OPEN  # looking at the confirmation closes nothing
        assert client.post(close_url).status_code == 302
        vote.refresh_from_db()
        assert vote.status == VoteStatus.CLOSED
        assert client.get(close_url).status_code == 302  # already closed: back to the results

    def test_members_do_not_reach_the_confirmation(self, client, voting):
        jury, members, recommendations, vote = voting
        client.force_login(members[0])
        assert client.get(url("recommendation_vote_close", jury, vote.pk)).status_code == 403

    def test_the_badge_of_a_closed_vote_is_unambiguous(self, client, voting, facilitator):
        jury, members, recommendations, vote = voting
        services.recommendation_vote_close(vote=vote, actor=facilitator)
        client.force_login(members[0])
        for page_url in (url("recommendations", jury), url("recommendation_vote", jury, vote.pk)):
            page = client.get(page_url).content.decode()
            assert f'<span class="badge">{fr("Vote closed")}</span>' in page
            assert '<span class="badge">Close</span>' not in page

    def test_the_chart_prints_percentages_like_the_table(self, client, facilitator):
        jury, members = seated_jury(3)
        vote = open_vote(jury, facilitator, [draft(jury, members[0], 1)])
        for member, level in zip(members, (5, 4, 1), strict=True):
            services.recommendation_ballot_cast(vote=vote, person=member, levels={1: level})
        services.recommendation_vote_close(vote=vote, actor=facilitator)
        client.force_login(members[0])
        page = client.get(url("recommendation_vote", jury, vote.pk)).content.decode()
        assert "(33,3 %)" in page and "(33.3 %)" not in page

    def test_seated_members_are_notified_once_when_the_vote_closes(
        self, voting, facilitator, django_capture_on_commit_callbacks
    ):
        from civicplatform.notifications.models import Notification

        jury, members, recommendations, vote = voting
        with django_capture_on_commit_callbacks(execute=True):
            services.recommendation_vote_close(vote=vote, actor=facilitator)
        with django_capture_on_commit_callbacks(execute=True):
            services.recommendation_vote_close(vote=vote, actor=facilitator)  # again: nothing new
            services.recommendation_votes_close_due(jury=jury)
        notices = Notification.objects.filter(kind=services.VOTE_CLOSED_KIND)
        assert sorted(n.recipient_id for n in notices) == sorted(m.pk for m in members)
        assert {n.url for n in notices} == {url("recommendation_vote", jury, vote.pk)}
        assert not notices.filter(recipient=facilitator).exists()
