"""The seated jury's workspace: who enters it, linking a seat to an account (e-mailed link, letter
code, staff), opening it (forum, deliberation, join e-mails), the forum following the seats,
questions to experts and their answers, the public record, and personal data."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.core.models import AuditEvent
from civicplatform.notifications.models import Notification
from forums.models import ForumVisibility, Membership, MembershipRole

from .. import personal_data, services, services_workspace
from ..models import (
    BriefingMaterial,
    ExpertHearing,
    ExpertQuestion,
    JurySession,
    JuryStatus,
    Registrant,
    RegistrantStatus,
    Seat,
)
from ..rules import takes_part
from .factories import fr, make_jury, make_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury():
    jury = make_jury()
    people = make_pool(jury, [("f", "young"), ("f", "old"), ("m", "young"), ("m", "old"), ("f", "young")])
    Registrant.objects.filter(pk__in=[p.pk for p in people[:4]]).update(status=RegistrantStatus.CONFIRMED)
    return jury


def confirmed(jury, index: int = 0) -> Registrant:
    return jury.registrants.filter(status=RegistrantStatus.CONFIRMED).order_by("pk")[index]


@pytest.fixture
def member(jury):
    user = UserFactory(pseudonym="Membre")
    services_workspace.seat_claim(registrant=confirmed(jury, 0), user=user)
    return user


@pytest.fixture
def former_member(jury, staff):
    user = UserFactory(pseudonym="Ancien")
    person = confirmed(jury, 1)
    services_workspace.seat_claim(registrant=person, user=user)
    services.registrant_respond(registrant=person, status=RegistrantStatus.WITHDRAWN, actor=staff)
    return user


def url(name: str, jury, *args) -> str:
    return reverse(f"juries:{name}", args=[jury.slug, *args])


def add_session(jury, *, days: int = 3, title: str = "Séance", summary: str = "") -> JurySession:
    start = timezone.now() + datetime.timedelta(days=days)
    return JurySession.objects.create(
        jury=jury,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        agenda="Accueil\nAudition des experts",
        summary=summary,
    )


# ---------------------------------------------------------------- who enters


WORKSPACE_PAGES = [
    "workspace",
    "workspace_sessions",
    "workspace_materials",
    "workspace_hearings",
    "workspace_questions",
]


class TestPermissions:
    def test_perms_exist_and_follow_the_seat(self, jury, member, former_member, staff, outsider):
        assert member.has_perm("juries.enter_workspace", jury) and takes_part(member, jury)
        assert staff.has_perm("juries.enter_workspace", jury) and not takes_part(staff, jury)
        for user in (outsider, former_member):
            assert not user.has_perm("juries.enter_workspace", jury)
            assert not takes_part(user, jury)

    @pytest.mark.parametrize("name", WORKSPACE_PAGES)
    def test_anonymous_is_sent_to_login(self, client, jury, name):
        response = client.get(url(name, jury))
        assert response.status_code == 302 and "/login/" in response["Location"]

    @pytest.mark.parametrize("name", WORKSPACE_PAGES)
    @pytest.mark.parametrize("who", ["outsider", "former_member"])
    def test_non_members_get_403_with_a_way_to_link_their_seat(self, client, jury, request, name, who):
        client.force_login(request.getfixturevalue(who))
        response = client.get(url(name, jury))
        assert response.status_code == 403
        assert url("workspace_entrance", jury) in response.content.decode()

    @pytest.mark.parametrize("name", WORKSPACE_PAGES)
    @pytest.mark.parametrize("who", ["member", "staff"])
    def test_members_and_staff_enter(self, client, jury, request, name, who):
        client.force_login(request.getfixturevalue(who))
        response = client.get(url(name, jury))
        assert response.status_code == 200
        assert 'aria-current="page"' in response.content.decode()

    def test_an_unpublished_jury_is_404_for_its_members(self, client, jury, member):
        jury.published = False
        jury.save()
        client.force_login(member)
        assert client.get(url("workspace", jury)).status_code == 404

    def test_wrong_method_is_405(self, client, jury, member):
        client.force_login(member)
        assert client.post(url("workspace", jury)).status_code == 405
        assert client.get(url("workspace_open", jury)).status_code == 405

    def test_the_staff_actions_are_403_for_members(self, client, jury, member):
        client.force_login(member)
        assert client.post(url("workspace_open", jury)).status_code == 403
        assert client.get(url("seat_link", jury, confirmed(jury, 1).pseudonym)).status_code == 403
        question = ExpertQuestion.objects.create(jury=jury, addressed_to="X", text="Une question assez longue")
        assert client.get(url("workspace_question_answer", jury, question.pk)).status_code == 403


# ---------------------------------------------------------------- seats


class TestSeatClaim:
    def test_the_join_email_link_asks_to_log_in_then_links_the_seat(self, client, jury, citizen):
        person = confirmed(jury)
        link = reverse("juries:workspace_join", args=[services_workspace.seat_token(person)])
        page = client.get(link).content.decode()
        assert reverse("account_login") + "?next=" in page and reverse("account_signup") + "?next=" in page
        client.force_login(citizen)
        assert client.get(link).status_code == 200
        assert not Seat.objects.exists()  # a GET changes nothing
        response = client.post(link)
        assert response.status_code == 302 and response["Location"] == url("workspace", jury)
        seat = Seat.objects.get()
        assert seat.user == citizen and seat.registrant == person
        assert AuditEvent.objects.filter(action="juries.seat_linked").exists()
        # Following the link again goes straight in.
        assert client.get(link)["Location"] == url("workspace", jury)

    def test_a_forged_or_foreign_link_is_404(self, client, jury, citizen):
        assert client.get(reverse("juries:workspace_join", args=["abc"])).status_code == 404
        token = services.confirmation_token(confirmed(jury))  # signed, but for another purpose
        assert client.get(reverse("juries:workspace_join", args=[token])).status_code == 404

    def test_a_seat_linked_to_someone_else_cannot_be_taken_with_the_link(self, client, jury, member, citizen):
        link = reverse("juries:workspace_join", args=[services_workspace.seat_token(confirmed(jury))])
        client.force_login(citizen)
        response = client.post(link)
        assert response.status_code == 400
        assert fr("This seat is already linked to another account.") in response.content.decode()
        assert Seat.objects.get().user == member

    def test_a_person_only_selected_cannot_take_a_seat(self, jury, citizen):
        person = jury.registrants.filter(status=RegistrantStatus.REGISTERED).first()
        person.status = RegistrantStatus.SELECTED
        person.save()
        with pytest.raises(ValidationError):
            services_workspace.seat_claim(registrant=person, user=citizen)
        assert not Seat.objects.exists()

    def test_the_entrance_links_with_the_letter_code_and_last_name(self, client, jury, citizen):
        person = confirmed(jury, 2)
        client.force_login(citizen)
        response = client.post(
            url("workspace_entrance", jury),
            {"code": person.invitation.response_code.lower(), "last_name": f"  {person.last_name.upper()} "},
        )
        assert response.status_code == 302
        assert Seat.objects.get(user=citizen).registrant == person
        assert client.get(url("workspace", jury)).status_code == 200

    @pytest.mark.parametrize("field", ["code", "last_name"])
    def test_a_wrong_code_or_name_is_a_400_with_a_clear_message(self, client, jury, citizen, field):
        person = confirmed(jury)
        data = {"code": person.invitation.response_code, "last_name": person.last_name} | {field: "ZZZZZZZZ"}
        client.force_login(citizen)
        response = client.post(url("workspace_entrance", jury), data)
        assert response.status_code == 400
        assert 'aria-invalid="true"' in response.content.decode()
        message = fr(
            "No confirmed member of this jury matches this code and last name. Check the code on "
            "your letter and write your last name as you gave it when you volunteered."
        )
        assert message in (response.content.decode().replace("&#x27;", "'"))
        assert not Seat.objects.exists()

    def test_the_code_of_a_volunteer_not_confirmed_is_refused(self, client, jury, citizen):
        person = jury.registrants.filter(status=RegistrantStatus.REGISTERED).first()
        client.force_login(citizen)
        response = client.post(
            url("workspace_entrance", jury), {"code": person.invitation.response_code, "last_name": person.last_name}
        )
        assert response.status_code == 400 and not Seat.objects.exists()

    def test_the_entrance_is_rate_limited(self, client, jury, citizen):
        client.force_login(citizen)
        statuses = [
            client.post(url("workspace_entrance", jury), {"code": "X", "last_name": "Y"}).status_code for _ in range(11)
        ]
        assert statuses[0] == 400 and statuses[-1] == 429

    def test_claiming_twice_keeps_one_seat_and_an_account_holds_one_seat_per_jury(self, jury, member):
        seat = Seat.objects.get(user=member)
        assert services_workspace.seat_claim(registrant=seat.registrant, user=member) == seat
        with pytest.raises(ValidationError):
            services_workspace.seat_claim(registrant=confirmed(jury, 1), user=member)
        assert Seat.objects.count() == 1

    def test_the_database_refuses_two_accounts_on_one_seat_and_two_seats_for_one_account(self, jury, member):
        seat = Seat.objects.get()
        with pytest.raises(IntegrityError), transaction.atomic():
            Seat.objects.create(jury=jury, registrant=seat.registrant, user=UserFactory())
        with pytest.raises(IntegrityError), transaction.atomic():
            Seat.objects.create(jury=jury, registrant=confirmed(jury, 1), user=member)

    def test_staff_link_a_seat_to_a_desk_account_by_its_pseudonym(self, client, jury, staff):
        desk_account = UserFactory(email=None, pseudonym="Guichet Lou")
        person = confirmed(jury, 3)
        client.force_login(staff)
        assert client.get(url("seat_link", jury, person.pseudonym)).status_code == 200
        response = client.post(url("seat_link", jury, person.pseudonym), {"account": "nobody@example.org"})
        assert response.status_code == 400
        assert fr("No open account has this e-mail address or pseudonym.") in response.content.decode()
        response = client.post(url("seat_link", jury, person.pseudonym), {"account": "guichet lou"})
        assert response.status_code == 302
        assert Seat.objects.get(registrant=person).user == desk_account
        dashboard = client.get(url("manage", jury)).content.decode()
        assert "Guichet Lou" in dashboard

    def test_staff_cannot_link_a_person_not_confirmed(self, client, jury, staff):
        person = jury.registrants.filter(status=RegistrantStatus.REGISTERED).first()
        client.force_login(staff)
        assert client.get(url("seat_link", jury, person.pseudonym)).status_code == 404


# ---------------------------------------------------------------- opening, forum


class TestOpeningAndForum:
    def test_staff_open_the_workspace_once(self, client, jury, staff, member, django_capture_on_commit_callbacks):
        client.force_login(staff)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url("workspace_open", jury))
        assert response.status_code == 302
        jury.refresh_from_db()
        assert jury.status == JuryStatus.DELIBERATING
        forum = jury.forum
        assert forum.visibility == ForumVisibility.MEMBERS
        roles = dict(Membership.objects.filter(forum=forum).values_list("user_id", "role"))
        assert roles == {staff.pk: MembershipRole.MODERATOR, member.pk: MembershipRole.MEMBER}
        # Three confirmed members are not seated yet: each gets the join link, the seated one does not.
        assert len(mail.outbox) == 3
        unseated = jury.registrants.filter(status=RegistrantStatus.CONFIRMED, seat__isnull=True)
        assert sorted(m.to[0] for m in mail.outbox) == sorted(unseated.values_list("email", flat=True))
        assert "/jurys/rejoindre/" in mail.outbox[0].body
        # Opening again: same forum, no new e-mail.
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url("workspace_open", jury))
        jury.refresh_from_db()
        assert jury.forum == forum and len(mail.outbox) == 3

    def test_the_dashboard_offers_to_open_the_workspace_then_links_to_it(self, client, jury, staff):
        client.force_login(staff)
        page = client.get(url("manage", jury)).content.decode()
        assert url("workspace_open", jury) in page
        assert reverse("admin:juries_jurysession_add") + f"?jury={jury.pk}" in page
        assert url("seat_link", jury, confirmed(jury).pseudonym) in page
        client.post(url("workspace_open", jury))
        jury.refresh_from_db()
        page = client.get(url("manage", jury)).content.decode()
        assert url("workspace_open", jury) not in page
        assert jury.forum.get_absolute_url() in page and url("workspace", jury) in page

    def test_the_join_email_link_works(self, client, jury, staff, citizen, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            services_workspace.workspace_open(jury=jury, actor=staff, base_url="http://testserver")
        link = next(line for line in mail.outbox[0].body.splitlines() if "/jurys/rejoindre/" in line)
        client.force_login(citizen)
        assert client.post(link.strip().removeprefix("http://testserver")).status_code == 302
        assert Seat.objects.get(user=citizen).registrant.email == mail.outbox[0].to[0]

    def test_a_member_confirming_after_the_opening_is_sent_the_link(
        self, jury, staff, django_capture_on_commit_callbacks
    ):
        services_workspace.workspace_open(jury=jury, actor=staff)
        late = jury.registrants.filter(status=RegistrantStatus.REGISTERED).first()
        Registrant.objects.filter(pk=late.pk).update(status=RegistrantStatus.SELECTED)
        with django_capture_on_commit_callbacks(execute=True):
            services.registrant_respond(registrant=late, status=RegistrantStatus.CONFIRMED)
        assert [m.to for m in mail.outbox] == [[late.email]]

    def test_linking_a_seat_joins_the_forum_and_leaving_the_panel_ends_both(self, client, jury, staff, citizen):
        jury = services_workspace.workspace_open(jury=jury, actor=staff)
        person = confirmed(jury)
        services_workspace.seat_claim(registrant=person, user=citizen)
        assert Membership.objects.filter(forum=jury.forum, user=citizen, role=MembershipRole.MEMBER).exists()
        client.force_login(citizen)
        assert client.get(jury.forum.get_absolute_url()).status_code == 200
        services.registrant_respond(registrant=person, status=RegistrantStatus.WITHDRAWN, actor=staff)
        seat = Seat.objects.get(user=citizen)
        assert seat.ended_at is not None
        assert not Membership.objects.filter(forum=jury.forum, user=citizen).exists()
        assert client.get(url("workspace", jury)).status_code == 403
        assert client.get(jury.forum.get_absolute_url()).status_code in (403, 404)

    def test_the_jury_forum_links_back_to_the_workspace(self, client, jury, staff, member):
        services_workspace.workspace_open(jury=jury, actor=staff)
        jury.refresh_from_db()
        client.force_login(member)
        page = client.get(jury.forum.get_absolute_url()).content.decode()
        assert f'<a href="{url("workspace", jury)}">' in page

    def test_a_site_wide_moderator_who_is_not_a_member_cannot_read_the_jury_forum(self, client, jury, staff):
        from civicplatform.moderation.models import ModeratorAssignment

        elected = UserFactory(pseudonym="Élue")
        ModeratorAssignment.objects.create(user=elected, title="Élue")
        jury = services_workspace.workspace_open(jury=jury, actor=staff)
        client.force_login(elected)
        assert client.get(jury.forum.get_absolute_url()).status_code == 404
        assert jury.forum.get_absolute_url() not in client.get(reverse("forums:index")).content.decode()

    def test_the_workspace_links_to_the_forum_and_the_recommendations(self, client, jury, staff, member):
        services_workspace.workspace_open(jury=jury, actor=staff)
        jury.refresh_from_db()
        client.force_login(member)
        page = client.get(url("workspace", jury)).content.decode()
        assert jury.forum.get_absolute_url() in page
        assert reverse("juries:recommendations", args=[jury.slug]) in page


# ---------------------------------------------------------------- sessions, materials, hearings


class TestWorkspacePages:
    def test_home_shows_the_next_session_with_its_agenda(self, client, jury, member):
        add_session(jury, days=-10, title="Passée")
        add_session(jury, days=20, title="Plus tard")
        add_session(jury, days=2, title="La prochaine")
        client.force_login(member)
        page = client.get(url("workspace", jury)).content.decode()
        assert "La prochaine" in page and "Audition des experts" in page
        assert "Passée" not in page and "Plus tard" not in page

    def test_sessions_materials_and_hearings_are_listed_in_constant_queries(
        self, client, jury, member, django_assert_max_num_queries
    ):
        def add_some(n):
            session = add_session(jury, days=n, title=f"Séance {n}")
            ExpertHearing.objects.create(
                session=session, expert_name=f"Expert {n}", topic="Sujet", interests=f"Intérêt {n}"
            )
            BriefingMaterial.objects.create(jury=jury, session=session, title=f"Doc {n}", summary="Résumé")

        client.force_login(member)
        add_some(1)
        for name in ("workspace_sessions", "workspace_materials", "workspace_hearings"):
            client.get(url(name, jury))
        for n in range(2, 7):
            add_some(n)
        for name in ("workspace_sessions", "workspace_materials", "workspace_hearings"):
            with django_assert_max_num_queries(20):
                page = client.get(url(name, jury)).content.decode()
            assert "Doc 6" in page or "Expert 6" in page
        hearings = client.get(url("workspace_hearings", jury)).content.decode()
        assert "Intérêt 6" in hearings

    def test_members_only_materials_are_downloadable_by_members_only(self, client, jury, member, outsider):
        from django.core.files.base import ContentFile

        public = BriefingMaterial(jury=jury, title="Public", summary="s")
        public.file.save("public.txt", ContentFile(b"public"), save=True)
        private = BriefingMaterial(jury=jury, title="Interne", summary="s", is_public=False)
        private.file.save("interne.txt", ContentFile(b"interne"), save=True)
        assert client.get(url("material_file", jury, public.pk)).status_code == 200
        assert client.get(url("material_file", jury, private.pk)).status_code == 404
        client.force_login(outsider)
        assert client.get(url("material_file", jury, private.pk)).status_code == 404
        client.force_login(member)
        response = client.get(url("material_file", jury, private.pk))
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"interne"


# ---------------------------------------------------------------- questions to experts


class TestQuestions:
    def test_a_member_asks_and_everyone_in_the_workspace_sees_it_without_the_asker(self, client, jury, member, staff):
        hearing = ExpertHearing.objects.create(session=add_session(jury), expert_name="Dr Lune", topic="Bruit")
        client.force_login(member)
        response = client.post(
            url("workspace_questions", jury),
            {"addressed_to": "Dr Lune", "hearing": hearing.pk, "text": "Quel est le niveau de bruit la nuit ?"},
        )
        assert response.status_code == 302
        question = ExpertQuestion.objects.get()
        assert question.asked_by == member and question.hearing == hearing
        client.force_login(staff)
        page = client.get(url("workspace_questions", jury)).content.decode()
        assert "Quel est le niveau de bruit la nuit ?" in page
        assert "Membre" not in page  # the asker's pseudonym is never shown
        assert url("workspace_question_answer", jury, question.pk) in page

    def test_a_question_about_a_hearing_goes_to_its_expert_without_typing_the_name(self, client, jury, member):
        hearing = ExpertHearing.objects.create(session=add_session(jury), expert_name="Dr Lune", topic="Bruit")
        client.force_login(member)
        response = client.post(
            url("workspace_questions", jury),
            {"addressed_to": "", "hearing": hearing.pk, "text": "Quel est le niveau de bruit la nuit ?"},
        )
        assert response.status_code == 302
        question = ExpertQuestion.objects.get()
        assert question.addressed_to == "Dr Lune" and question.hearing == hearing

    def test_a_question_without_an_expert_nor_a_hearing_is_a_400_saying_what_to_do(self, client, jury, member):
        client.force_login(member)
        response = client.post(
            url("workspace_questions", jury), {"addressed_to": " ", "text": "Quel est le niveau de bruit la nuit ?"}
        )
        assert response.status_code == 400
        assert (
            fr("Say which expert the question is for, or choose the hearing it is about.") in response.content.decode()
        )
        assert not ExpertQuestion.objects.exists()

    def test_a_question_too_short_is_a_400(self, client, jury, member):
        client.force_login(member)
        response = client.post(url("workspace_questions", jury), {"addressed_to": "Dr Lune", "text": "Quoi ?"})
        assert response.status_code == 400
        assert fr("Write your question in at least 10 characters.") in response.content.decode()
        assert not ExpertQuestion.objects.exists()

    def test_staff_cannot_ask_as_members(self, client, jury, staff):
        client.force_login(staff)
        response = client.post(url("workspace_questions", jury), {"addressed_to": "X", "text": "Une longue question"})
        assert response.status_code == 302 and not ExpertQuestion.objects.exists()

    def test_staff_answer_and_the_asker_is_notified_once(
        self, client, jury, member, staff, django_capture_on_commit_callbacks
    ):
        question = services_workspace.question_ask(
            jury=jury, user=member, addressed_to="Dr Lune", text="Quel est le niveau de bruit ?"
        )
        client.force_login(staff)
        answer_url = url("workspace_question_answer", jury, question.pk)
        assert client.post(answer_url, {"answer": "", "answered_by_name": "Dr Lune"}).status_code == 400
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                answer_url, {"answer": "55 dB en moyenne.", "answered_by_name": "Dr Lune", "is_public": "on"}
            )
        assert response.status_code == 302
        question.refresh_from_db()
        assert question.answered_at and question.answer == "55 dB en moyenne." and question.is_public
        notification = Notification.objects.get(recipient=member)
        assert notification.kind == services_workspace.QUESTION_ANSWERED_KIND
        assert notification.url.startswith(url("workspace_questions", jury))
        with django_capture_on_commit_callbacks(execute=True):
            client.post(answer_url, {"answer": "55 dB la nuit.", "answered_by_name": "Dr Lune"})
        question.refresh_from_db()
        assert question.answer == "55 dB la nuit." and not question.is_public
        assert Notification.objects.filter(recipient=member).count() == 1


# ---------------------------------------------------------------- the public page


class TestPublicPage:
    def test_it_shows_sessions_public_materials_hearings_and_answered_public_questions(
        self, client, jury, member, staff
    ):
        session = add_session(jury, days=-3, title="Première séance", summary="Nous avons entendu deux experts.")
        ExpertHearing.objects.create(session=session, expert_name="Dr Lune", topic="Bruit", interests="Aucun")
        BriefingMaterial.objects.create(jury=jury, title="Doc public", summary="Résumé public")
        BriefingMaterial.objects.create(jury=jury, title="Doc interne", summary="Résumé", is_public=False)
        answered = services_workspace.question_ask(
            jury=jury, user=member, addressed_to="Dr Lune", text="Question publique et répondue ?"
        )
        services_workspace.question_answer(
            question=answered, answer="Réponse publiée.", answered_by_name="Dr Lune", is_public=True, actor=staff
        )
        hidden = services_workspace.question_ask(
            jury=jury, user=member, addressed_to="Dr Lune", text="Question répondue mais gardée ?"
        )
        services_workspace.question_answer(
            question=hidden, answer="Réponse interne.", answered_by_name="Dr Lune", is_public=False, actor=staff
        )
        services_workspace.question_ask(jury=jury, user=member, addressed_to="Dr Lune", text="Question sans réponse ?")
        page = client.get(jury.get_absolute_url()).content.decode()
        for text in ("Première séance", "Nous avons entendu deux experts.", "Audition des experts", "Dr Lune"):
            assert text in page
        assert "Doc public" in page and "Doc interne" not in page
        assert "Question publique et répondue ?" in page and "Réponse publiée." in page
        assert "gardée" not in page and "sans réponse" not in page
        assert fr("A member of the jury asked %(expert)s", expert="Dr Lune").split(" Dr")[0] in page
        assert "Membre" not in page
        assert url("workspace", jury) not in page  # no workspace link for the public

    def test_its_query_count_does_not_grow_with_the_record(
        self, client, jury, member, staff, django_assert_max_num_queries
    ):
        def add_some(n):
            session = add_session(jury, days=n, title=f"Séance {n}")
            ExpertHearing.objects.create(session=session, expert_name=f"Expert {n}", topic="Sujet")
            BriefingMaterial.objects.create(jury=jury, session=session, title=f"Doc {n}", summary="Résumé")
            question = services_workspace.question_ask(
                jury=jury, user=member, addressed_to=f"Expert {n}", text=f"Question numéro {n} ?", hearing=None
            )
            services_workspace.question_answer(
                question=question, answer=f"Réponse {n}", answered_by_name=f"Expert {n}", is_public=True, actor=staff
            )

        add_some(1)
        client.get(jury.get_absolute_url())
        with django_assert_max_num_queries(30) as few:
            client.get(jury.get_absolute_url())
        for n in range(2, 9):
            add_some(n)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(jury.get_absolute_url()).content.decode()
        assert "Réponse 8" in page and "Doc 8" in page and "Expert 8" in page

    def test_members_and_staff_see_a_link_to_the_workspace(self, client, jury, member):
        client.force_login(member)
        assert url("workspace", jury) in client.get(jury.get_absolute_url()).content.decode()


# ---------------------------------------------------------------- personal data


class TestPersonalData:
    def test_export_includes_seats_and_questions_and_erasure_unlinks_them(self, jury, member):
        question = services_workspace.question_ask(
            jury=jury, user=member, addressed_to="Dr Lune", text="Une question pour l'export ?"
        )
        seats = personal_data.export_seats(member)
        assert [row["seat"] for row in seats] == [confirmed(jury).pseudonym]
        questions = personal_data.export_expert_questions(member)
        assert [row["question"] for row in questions] == ["Une question pour l'export ?"]
        personal_data.erase_workspace(member)
        question.refresh_from_db()
        assert question.asked_by is None
        assert not Seat.objects.filter(user=member).exists()
        assert not member.has_perm("juries.enter_workspace", jury)


class TestAdmin:
    def test_sessions_with_hearings_and_materials_are_managed_in_the_admin(self, client, jury):
        admin = UserFactory(is_staff=True, is_superuser=True)
        add_session(jury, title="Séance admin")
        client.force_login(admin)
        listing = client.get(reverse("admin:juries_jurysession_changelist") + f"?jury__id__exact={jury.pk}")
        assert listing.status_code == 200 and "Séance admin" in listing.content.decode()
        form = client.get(reverse("admin:juries_jurysession_add") + f"?jury={jury.pk}").content.decode()
        assert 'name="hearings-TOTAL_FORMS"' in form
        assert client.get(reverse("admin:juries_briefingmaterial_add")).status_code == 200
