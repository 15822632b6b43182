"""Drafting recommendations together: who may do what, numbering, revisions and their history,
the refusal of a save that would overwrite someone else's, withdrawal, and minority views."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civicplatform.accounts.tests.factories import StaffFactory, UserFactory
from civicplatform.core.models import AuditEvent

from .. import services_recommendations as services
from ..models import MinorityView, Recommendation, RecommendationRevision, RecommendationStatus, Seat
from .factories import fr
from .recommendations_setup import draft, open_vote, seated_jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury_members():
    return seated_jury(3)


@pytest.fixture
def facilitator():
    return StaffFactory(pseudonym="Animatrice")


def _ngettext(singular: str, plural: str, n: int) -> str:
    from django.utils import translation

    with translation.override("fr"):
        return translation.ngettext(singular, plural, n)


def url(name, jury, *args):
    return reverse(f"juries:{name}", args=[jury.slug, *args])


class TestPermissionMatrix:
    """Who reaches the drafting area and what each may do: anonymous, outsider, seated member,
    former member (seat ended), staff."""

    @pytest.mark.parametrize(
        ("who", "list_status", "create_status"),
        [
            ("anonymous", 302, 302),
            ("outsider", 403, 403),
            ("member", 200, 200),
            ("former", 403, 403),
            ("staff", 200, 200),
        ],
    )
    def test_the_drafting_area_is_for_seated_members_and_staff(
        self, client, jury_members, facilitator, who, list_status, create_status
    ):
        jury, members = jury_members
        people = {"outsider": UserFactory(), "member": members[0], "former": members[1], "staff": facilitator}
        Seat.objects.filter(user=members[1]).update(ended_at="2026-01-01T00:00Z")
        if who != "anonymous":
            client.force_login(people[who])
        assert client.get(url("recommendations", jury)).status_code == list_status
        assert client.get(url("recommendation_create", jury)).status_code == create_status
        response = client.post(url("recommendation_create", jury), {"title": "T", "text": "X"})
        assert response.status_code == (302 if who in ("member", "staff") else create_status)
        assert Recommendation.objects.exists() is (who in ("member", "staff"))

    def test_an_outsider_is_told_how_to_link_their_seat(self, client, jury_members):
        jury, members = jury_members
        client.force_login(UserFactory())
        response = client.get(url("recommendations", jury))
        assert response.status_code == 403
        assert reverse("juries:workspace_entrance", args=[jury.slug]) in response.content.decode()

    def test_an_unpublished_jury_is_404_for_its_members(self, client):
        jury, members = seated_jury(1, published=False)
        client.force_login(members[0])
        assert client.get(url("recommendations", jury)).status_code == 404

    def test_only_staff_open_votes_and_edit_the_report(self, client, jury_members, facilitator):
        jury, members = jury_members
        client.force_login(members[0])
        assert client.get(url("recommendation_vote_open", jury)).status_code == 403
        assert client.get(url("report_edit", jury)).status_code == 403
        assert client.post(url("report_publish", jury)).status_code == 403
        client.force_login(facilitator)
        assert client.get(url("recommendation_vote_open", jury)).status_code == 200
        assert client.get(url("report_edit", jury)).status_code == 200

    def test_staff_do_not_vote_nor_sign_minority_views(self, jury_members, facilitator):
        jury, members = jury_members
        recommendation = draft(jury, members[0])
        vote = open_vote(jury, facilitator, [recommendation])
        with pytest.raises(PermissionDenied):
            services.recommendation_ballot_cast(vote=vote, person=facilitator, levels={1: 5})
        with pytest.raises(PermissionDenied):
            services.minority_view_create(jury=jury, actor=facilitator, title="T", text="X")

    def test_members_do_not_open_or_close_votes(self, jury_members, facilitator):
        jury, members = jury_members
        recommendation = draft(jury, members[0])
        with pytest.raises(PermissionDenied):
            open_vote(jury, members[0], [recommendation])
        vote = open_vote(jury, facilitator, [recommendation])
        with pytest.raises(PermissionDenied):
            services.recommendation_vote_close(vote=vote, actor=members[0])


class TestDrafting:
    def test_drafts_are_numbered_in_each_jury_from_one(self, jury_members):
        jury, members = jury_members
        other, other_members = seated_jury(1, slug="other")
        numbers = [draft(jury, members[n % 3], n).number for n in range(3)]
        assert numbers == [1, 2, 3]
        assert draft(other, other_members[0]).number == 1
        # A withdrawn draft keeps its number: the next one never reuses it.
        services.recommendation_withdraw(
            recommendation=Recommendation.objects.get(jury=jury, number=3), actor=members[2]
        )
        assert draft(jury, members[0], 4).number == 4

    def test_a_member_creates_a_draft_and_sees_it_with_their_pseudonym(self, client, jury_members):
        jury, members = jury_members
        client.force_login(members[0])
        response = client.post(
            url("recommendation_create", jury),
            {"title": "Zones piétonnes", "text": "Rendre piétonne la rue du marché.", "rationale": "Sécurité."},
        )
        assert response.status_code == 302
        recommendation = Recommendation.objects.get()
        assert response["Location"] == url("recommendation_edit", jury, 1)
        assert recommendation.status == RecommendationStatus.DRAFT
        assert recommendation.revisions.count() == 1
        page = client.get(response["Location"]).content.decode()
        pseudonym = members[0].jury_seats.get().registrant.pseudonym
        assert "R1. Zones piétonnes" in page and pseudonym in page
        # Never the real name, nor the account's platform pseudonym.
        assert "Vrai0" not in page and "Nom0" not in page
        assert AuditEvent.objects.filter(action="juries.recommendation_create").count() == 1

    def test_an_empty_draft_is_a_400_with_the_error(self, client, jury_members):
        jury, members = jury_members
        client.force_login(members[0])
        response = client.post(url("recommendation_create", jury), {"title": "", "text": ""})
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
        assert not Recommendation.objects.exists()

    def test_each_save_by_any_member_or_staff_adds_a_revision_shown_in_the_history(
        self, client, jury_members, facilitator
    ):
        jury, members = jury_members
        recommendation = draft(jury, members[0], text="Planter des arbres sur la place.")
        edit = url("recommendation_edit", jury, 1)
        for person, text in (
            (members[1], "Planter vingt arbres sur la place."),
            (facilitator, "Planter vingt arbres."),
        ):
            client.force_login(person)
            base = services.latest_revision_id(recommendation)
            response = client.post(
                edit, {"title": "Titre 1", "text": text, "rationale": "Parce que.", "base_revision": base}
            )
            assert response.status_code == 302
        recommendation.refresh_from_db()
        assert recommendation.text == "Planter vingt arbres."
        assert recommendation.revisions.count() == 3
        assert list(recommendation.revisions.values_list("edited_by", flat=True)) == [
            facilitator.pk,
            members[1].pk,
            members[0].pk,
        ]
        client.force_login(members[2])
        page = client.get(edit).content.decode()
        second = members[1].jury_seats.get().registrant.pseudonym
        assert second in page
        assert fr("a facilitator") in page
        # The last change, word by word.
        assert "Planter vingt <del>arbres sur la place.</del> <ins>arbres.</ins>" in page

    def test_saving_the_same_text_adds_no_revision(self, jury_members):
        jury, members = jury_members
        recommendation = draft(jury, members[0])
        services.recommendation_update(
            recommendation=recommendation,
            actor=members[1],
            title=recommendation.title,
            text=recommendation.text,
            rationale=recommendation.rationale,
            base_revision=services.latest_revision_id(recommendation),
        )
        assert recommendation.revisions.count() == 1

    def test_a_save_on_an_outdated_version_is_refused_and_keeps_the_text_typed(self, client, jury_members):
        jury, members = jury_members
        recommendation = draft(jury, members[0], text="Version initiale.")
        opened_on = services.latest_revision_id(recommendation)
        # Member 1 saves first...
        services.recommendation_update(
            recommendation=recommendation,
            actor=members[1],
            title="Titre 1",
            text="Version de la deuxième personne.",
            base_revision=opened_on,
        )
        # ...then member 2 saves the form they opened before.
        client.force_login(members[2])
        typed = {
            "title": "Titre 1",
            "text": "Mon long texte soigneusement écrit.",
            "rationale": "",
            "base_revision": opened_on,
        }
        response = client.post(url("recommendation_edit", jury, 1), typed)
        assert response.status_code == 409
        page = response.content.decode()
        assert "Mon long texte soigneusement écrit." in page  # nothing lost
        assert "Version de la deuxième personne." in page  # the other version, to compare
        assert (
            fr(
                "Someone else saved this recommendation after you opened it. Your text is kept below: compare it "
                "with the current version, then save again."
            )
            in page
        )
        recommendation.refresh_from_db()
        assert recommendation.text == "Version de la deuxième personne."
        assert recommendation.revisions.count() == 2
        # The form now carries the version they have seen: saving again is a deliberate choice and works.
        latest = services.latest_revision_id(recommendation)
        assert f'name="base_revision" value="{latest}"' in page
        response = client.post(url("recommendation_edit", jury, 1), typed | {"base_revision": latest})
        assert response.status_code == 302
        recommendation.refresh_from_db()
        assert recommendation.text == "Mon long texte soigneusement écrit."

    def test_the_service_refuses_a_stale_base_revision(self, jury_members):
        jury, members = jury_members
        recommendation = draft(jury, members[0])
        with pytest.raises(services.EditConflict):
            services.recommendation_update(
                recommendation=recommendation, actor=members[1], title="X", text="Y", base_revision=None
            )

    def test_a_draft_can_be_withdrawn_by_its_author_and_is_then_frozen(self, client, jury_members):
        jury, members = jury_members
        draft(jury, members[0])
        client.force_login(members[0])
        response = client.post(url("recommendation_withdraw", jury, 1))
        assert response.status_code == 302
        assert Recommendation.objects.get().status == RecommendationStatus.WITHDRAWN
        response = client.post(url("recommendation_edit", jury, 1), {"title": "T", "text": "X", "base_revision": ""})
        assert response.status_code == 409
        assert client.post(url("recommendation_withdraw", jury, 1)).status_code == 409
        page = client.get(url("recommendations", jury)).content.decode()
        assert fr("Withdrawn") in page and "R1. Titre 1" in page

    def test_a_draft_put_to_the_vote_can_no_longer_be_edited(self, jury_members, facilitator):
        jury, members = jury_members
        recommendation = draft(jury, members[0])
        open_vote(jury, facilitator, [recommendation])
        with pytest.raises(ValidationError):
            services.recommendation_update(
                recommendation=recommendation,
                actor=members[0],
                title="X",
                text="Y",
                base_revision=services.latest_revision_id(recommendation),
            )

    def test_unknown_number_is_404(self, client, jury_members):
        jury, members = jury_members
        client.force_login(members[0])
        assert client.get(url("recommendation_edit", jury, 99)).status_code == 404

    def test_the_list_has_a_constant_number_of_queries(self, client, jury_members, django_assert_max_num_queries):
        jury, members = jury_members
        client.force_login(members[0])
        draft(jury, members[0])
        client.get(url("recommendations", jury))
        with django_assert_max_num_queries(30) as few:
            client.get(url("recommendations", jury))
        for n in range(2, 12):
            draft(jury, members[n % 3], n)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url("recommendations", jury))
        assert "R11. Titre 11" in response.content.decode()


class TestWithdrawal:
    """Withdrawing is two steps (a confirmation page naming the draft, then POST) and only for the
    draft's author or staff."""

    def test_the_author_confirms_on_a_page_naming_the_draft_before_it_is_withdrawn(self, client, jury_members):
        jury, members = jury_members
        draft(jury, members[0], title="Piétonniser la place")
        client.force_login(members[0])
        edit_page = client.get(url("recommendation_edit", jury, 1)).content.decode()
        withdraw_url = url("recommendation_withdraw", jury, 1)
        assert f'href="{withdraw_url}"' in edit_page  # a link to the confirmation, not a one-click button
        assert f'action="{withdraw_url}"' not in edit_page
        response = client.get(withdraw_url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Piétonniser la place" in page and f'action="{withdraw_url}"' in page
        assert Recommendation.objects.get().status == RecommendationStatus.DRAFT  # nothing happened yet
        assert client.post(withdraw_url).status_code == 302
        assert Recommendation.objects.get().status == RecommendationStatus.WITHDRAWN

    def test_another_member_gets_a_403_and_does_not_see_the_button(self, client, jury_members):
        jury, members = jury_members
        draft(jury, members[0])
        client.force_login(members[1])
        withdraw_url = url("recommendation_withdraw", jury, 1)
        assert withdraw_url not in client.get(url("recommendation_edit", jury, 1)).content.decode()
        assert client.get(withdraw_url).status_code == 403
        assert client.post(withdraw_url).status_code == 403
        assert Recommendation.objects.get().status == RecommendationStatus.DRAFT
        with pytest.raises(PermissionDenied):
            services.recommendation_withdraw(recommendation=Recommendation.objects.get(), actor=members[1])

    def test_staff_may_withdraw_any_draft(self, client, jury_members, facilitator):
        jury, members = jury_members
        draft(jury, members[0])
        client.force_login(facilitator)
        assert (
            url("recommendation_withdraw", jury, 1) in client.get(url("recommendation_edit", jury, 1)).content.decode()
        )
        assert client.post(url("recommendation_withdraw", jury, 1)).status_code == 302
        assert Recommendation.objects.get().status == RecommendationStatus.WITHDRAWN


class TestMinorityViews:
    def test_a_member_writes_a_view_others_sign_and_unsign_and_only_counts_are_shown(self, client, jury_members):
        jury, members = jury_members
        recommendation = draft(jury, members[0])
        client.force_login(members[0])
        response = client.post(
            url("minority_views", jury),
            {
                "title": "Contre la piétonnisation",
                "text": "Les commerces souffriront.",
                "recommendation": recommendation.pk,
            },
        )
        assert response.status_code == 302
        view = MinorityView.objects.get()
        assert list(view.signatories.all()) == [members[0]]
        client.force_login(members[1])
        client.post(url("minority_view_sign", jury, view.pk))
        client.force_login(members[2])
        client.post(url("minority_view_sign", jury, view.pk))
        client.post(url("minority_view_sign", jury, view.pk))  # changes their mind
        assert view.signatories.count() == 2
        page = client.get(url("minority_views", jury)).content.decode()
        assert "Contre la piétonnisation" in page
        assert 'aria-pressed="false"' in page
        assert _ngettext("Signed by %(n)s member", "Signed by %(n)s members", 2) % {"n": 2} in page
        client.force_login(members[0])
        page = client.get(url("minority_views", jury)).content.decode()
        assert _ngettext("Signed by %(n)s member (you)", "Signed by %(n)s members, including you", 2) % {"n": 2} in page
        assert f" · {fr('including you')}" not in page
        for member in members:
            assert member.jury_seats.get().registrant.pseudonym not in page
        assert AuditEvent.objects.filter(action="juries.minority_view_sign").count() == 2

    def test_staff_read_minority_views_but_cannot_sign(self, client, jury_members, facilitator):
        jury, members = jury_members
        view = services.minority_view_create(jury=jury, actor=members[0], title="T", text="X")
        client.force_login(facilitator)
        assert client.get(url("minority_views", jury)).status_code == 200
        assert client.post(url("minority_view_sign", jury, view.pk)).status_code == 403
        assert client.post(url("minority_views", jury), {"title": "T", "text": "X"}).status_code == 403

    def test_an_empty_view_is_a_400(self, client, jury_members):
        jury, members = jury_members
        client.force_login(members[0])
        assert client.post(url("minority_views", jury), {"title": "", "text": ""}).status_code == 400
        assert not MinorityView.objects.exists()


class TestRevisionsModel:
    def test_revisions_are_ordered_newest_first(self, jury_members):
        jury, members = jury_members
        recommendation = draft(jury, members[0])
        services.recommendation_update(
            recommendation=recommendation,
            actor=members[1],
            title="Nouveau",
            text="Nouveau texte",
            base_revision=services.latest_revision_id(recommendation),
        )
        assert RecommendationRevision.objects.filter(recommendation=recommendation).first().title == "Nouveau"


class TestPages:
    def test_every_page_of_the_area_has_one_h1_a_main_landmark_and_labelled_fields(
        self, client, jury_members, facilitator
    ):
        jury, members = jury_members
        recommendation = draft(jury, members[0])
        vote = open_vote(jury, facilitator, [recommendation])
        member_pages = [
            url("recommendations", jury),
            url("recommendation_create", jury),
            url("recommendation_edit", jury, 1),
            url("recommendation_vote", jury, vote.pk),
            url("minority_views", jury),
        ]
        staff_pages = [url("recommendation_vote_open", jury), url("report_edit", jury)]
        for person, pages in ((members[1], member_pages), (facilitator, staff_pages)):
            client.force_login(person)
            for page_url in pages:
                response = client.get(page_url)
                assert response.status_code == 200, page_url
                page = response.content.decode()
                assert page.count("<h1") == 1 and '<main id="main-content"' in page, page_url
                for field_id in ("id_title", "id_text", "id_r1_0", "id_introduction"):
                    if f'id="{field_id}"' in page:
                        assert f'for="{field_id}"' in page, (page_url, field_id)

    def test_the_change_page_of_a_closed_vote_sends_to_the_results(self, client, jury_members, facilitator):
        jury, members = jury_members
        vote = open_vote(jury, facilitator, [draft(jury, members[0])])
        services.recommendation_ballot_cast(vote=vote, person=members[0], levels={1: 4})
        services.recommendation_vote_close(vote=vote, actor=facilitator)
        client.force_login(members[0])
        response = client.get(url("recommendation_vote_change", jury, vote.pk))
        assert response.status_code == 302 and response["Location"] == url("recommendation_vote", jury, vote.pk)
        assert client.post(url("recommendation_vote_change", jury, vote.pk), {"r1": "5"}).status_code == 403
