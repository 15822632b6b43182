"""Recruitment, registration, quotas and the whole draw, through the services."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from civicplatform.core.models import AuditEvent

from .. import services
from ..models import Channel, FeatureValue, Invitation, JuryStatus, Registrant, RegistrantStatus, RunStatus
from ..sortition import draw
from .factories import BALANCED, make_invitations, make_jury, make_pool

pytestmark = pytest.mark.django_db


def addresses(count: int) -> list[dict[str, str]]:
    return [
        {"address_line": f"{n} rue Haute", "postcode": "37000", "city": "Belleville", "addressee": ""}
        for n in range(count)
    ]


class TestInvitations:
    def test_it_draws_distinct_households_and_keeps_only_them(self, staff):
        jury = make_jury()
        rows = addresses(50) + [{"address_line": "3  RUE HAUTE", "postcode": "37000", "city": "", "addressee": ""}]
        batch = services.invitation_batch_draw(
            jury=jury, rows=rows, size=20, source_name="liste.csv", source_sha256="x", actor=staff
        )
        assert batch.invitations.count() == 20
        assert len(set(batch.invitations.values_list("household_key", flat=True))) == 20
        assert len(set(batch.invitations.values_list("response_code", flat=True))) == 20
        assert Invitation.objects.count() == 20
        assert AuditEvent.objects.filter(action="juries.invitations_drawn", actor=staff).exists()
        jury.refresh_from_db()
        assert jury.status == JuryStatus.RECRUITING

    def test_a_second_batch_skips_households_already_invited(self, staff):
        jury = make_jury()
        services.invitation_batch_draw(
            jury=jury, rows=addresses(30), size=20, source_name="a", source_sha256="", actor=staff
        )
        services.invitation_batch_draw(
            jury=jury, rows=addresses(30), size=10, source_name="a", source_sha256="", actor=staff
        )
        with pytest.raises(ValidationError):
            services.invitation_batch_draw(
                jury=jury, rows=addresses(30), size=1, source_name="a", source_sha256="", actor=staff
            )
        assert Invitation.objects.filter(jury=jury).count() == 30

    def test_the_address_list_parser_accepts_french_headers_and_semicolons(self):
        rows = services.parse_address_list(b"adresse;code_postal;commune\n1 rue A;37000;Belleville\n;;\n")
        assert rows == [{"address_line": "1 rue A", "postcode": "37000", "city": "Belleville", "addressee": ""}]
        with pytest.raises(ValidationError):
            services.parse_address_list(b"name,city\nA,B\n")

    def test_letters_carry_each_code(self, staff):
        from ..letters import format_code, letters_pdf

        jury = make_jury()
        batch = services.invitation_batch_draw(
            jury=jury, rows=addresses(3), size=3, source_name="a", source_sha256="", actor=staff
        )
        pdf = letters_pdf(
            batch=batch, register_url="https://example.org/jurys/x/inscription/", municipality="Belleville"
        )
        assert pdf.startswith(b"%PDF")
        assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 1
        assert len(format_code(batch.invitations.first().response_code)) == 12


class TestRegistration:
    def test_a_volunteer_registers_with_the_code_and_consent(self):
        jury = make_jury()
        invitation = make_invitations(jury, 1)[0]
        person = services.registrant_register(
            jury=jury,
            code=invitation.response_code[:4].lower() + "-" + invitation.response_code[4:],
            first_name="Lou",
            last_name="Durand",
            email="lou@example.org",
            answers={"gender": "f", "age": "young"},
            consent=True,
        )
        assert person.status == RegistrantStatus.REGISTERED
        assert person.pseudonym.startswith("P-")
        assert AuditEvent.objects.filter(action="juries.registered").exists()

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"consent": False}, "consent"),
            ({"code": "AAAAAAAAAA"}, "code"),
            ({"answers": {"gender": "x", "age": "young"}}, "answer_gender"),
            ({"email": "", "phone": ""}, "email"),
        ],
    )
    def test_it_refuses_incomplete_registrations(self, changes, field):
        jury = make_jury()
        invitation = make_invitations(jury, 1)[0]
        data = {
            "jury": jury,
            "code": invitation.response_code,
            "first_name": "Lou",
            "last_name": "Durand",
            "email": "lou@example.org",
            "answers": {"gender": "f", "age": "young"},
            "consent": True,
        } | changes
        with pytest.raises(ValidationError) as error:
            services.registrant_register(**data)
        assert field in error.value.message_dict
        assert not Registrant.objects.exists()

    def test_the_same_person_cannot_register_twice_with_one_letter_but_a_housemate_can(self):
        jury = make_jury()
        invitation = make_invitations(jury, 1)[0]
        data = {
            "jury": jury,
            "code": invitation.response_code,
            "email": "a@example.org",
            "answers": {"gender": "f", "age": "old"},
            "consent": True,
        }
        services.registrant_register(first_name="Lou", last_name="Durand", **data)
        with pytest.raises(ValidationError):
            services.registrant_register(first_name="LOU", last_name="durand", **data)
        services.registrant_register(first_name="Max", last_name="Durand", **data)
        assert Registrant.objects.count() == 2

    def test_web_registration_is_refused_outside_the_recruitment_phase_but_staff_can_enter_calls(self, staff):
        jury = make_jury(open_recruitment=False)
        invitation = make_invitations(jury, 1)[0]
        data = {
            "jury": jury,
            "code": invitation.response_code,
            "first_name": "A",
            "last_name": "B",
            "phone": "0601020304",
            "answers": {"gender": "m", "age": "old"},
            "consent": True,
        }
        with pytest.raises(ValidationError):
            services.registrant_register(**data)
        person = services.registrant_register(channel=Channel.PHONE, actor=staff, **data)
        assert person.registered_by == staff
        assert AuditEvent.objects.filter(action="juries.registered", actor=staff).exists()


class TestQuotas:
    def test_census_shares_give_floor_and_ceiling(self, staff):
        jury = make_jury(panel_size=50)
        FeatureValue.objects.filter(key="f").update(census_share=27)
        services.quotas_from_census(jury=jury, actor=staff)
        value = FeatureValue.objects.get(key="f")
        assert (value.min_seats, value.max_seats) == (13, 14)

    def test_a_relaxation_is_suggested_and_can_be_applied(self, staff):
        jury = make_jury()
        make_pool(jury, [("f", "young")] * 3 + [("m", "young")] * 3 + [("f", "old")])
        FeatureValue.objects.filter(key="old").update(min_seats=2)
        feasibility = services.jury_feasibility(jury)
        assert not feasibility.ok and feasibility.relaxations
        services.quotas_apply_relaxation(jury=jury, relaxations=feasibility.relaxations, actor=staff)
        assert services.jury_feasibility(jury).ok


def run_the_draw(jury, staff, *, seeds=(), dice="4 0 7 3"):
    run = services.selection_commit(
        jury=jury,
        algorithm="maximin",
        lottery_size=100,
        actor=staff,
        seed_commitments=[draw.sha256_hex(s) for s in seeds],
    )
    run = services.selection_compute(run_id=run.pk, legacy_runs=20)
    return services.selection_draw(run=run, dice=dice, seeds=list(seeds), witnesses="Mme A, M. B", actor=staff)


class TestDraw:
    def test_infeasible_quotas_are_refused_before_anything_is_published(self, staff):
        jury = make_jury()
        make_pool(jury, [("f", "young")] * 6)
        with pytest.raises(ValidationError):
            services.selection_commit(jury=jury, algorithm="maximin", actor=staff)
        assert not jury.runs.exists()

    def test_commit_compute_draw_and_verify(self, staff, tmp_path, django_capture_on_commit_callbacks):
        jury = make_jury()
        make_pool(jury, BALANCED)
        with django_capture_on_commit_callbacks(execute=True):
            run = services.selection_commit(jury=jury, algorithm="leximin", lottery_size=100, actor=staff)
        run.refresh_from_db()
        assert run.status == RunStatus.COMPUTED  # the Celery task ran after commit
        assert run.min_probability == pytest.approx(4 / 12, abs=0.001)
        assert len(json.loads(run.panels_json)["panels"]) == 100
        assert run.legacy_probabilities
        run = services.selection_draw(run=run, dice="1 2 3", seeds=[], witnesses="Témoins", actor=staff)
        assert run.status == RunStatus.DRAWN and len(run.selected) == 4
        assert set(
            Registrant.objects.filter(status=RegistrantStatus.SELECTED).values_list("pseudonym", flat=True)
        ) == set(run.selected)
        assert AuditEvent.objects.filter(action="juries.drawn", actor=staff).exists()
        for name, text in services.run_files(run).items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        call_command("jury_verify", str(tmp_path))
        (tmp_path / "randomness.json").write_text(draw.canonical_json({"dice": "124", "seeds": []}), encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("jury_verify", str(tmp_path))

    def test_the_draw_never_seats_two_people_of_one_household(self, staff):
        jury = make_jury()
        # Persons 0 and 4 are both young women... 0 and 1 share a letter (f young, f old).
        make_pool(jury, BALANCED, shared={1: 0})
        run = run_the_draw(jury, staff)
        households = [
            r.household_label
            for r in Registrant.objects.filter(pseudonym__in=run.selected).select_related("invitation")
        ]
        assert len(households) == len(set(households))
        panels = json.loads(run.panels_json)["panels"]
        pool = {row["id"]: row for row in draw.read_csv(run.pool_csv)}
        assert all(len({pool[p]["household"] for p in panel}) == 4 for panel in panels)

    def test_seeds_must_match_the_hashes_published_before(self, staff):
        jury = make_jury()
        make_pool(jury, BALANCED)
        run = services.selection_commit(
            jury=jury, algorithm="maximin", lottery_size=50, actor=staff, seed_commitments=[draw.sha256_hex("secret")]
        )
        run = services.selection_compute(run_id=run.pk, legacy_runs=5)
        with pytest.raises(ValidationError):
            services.selection_draw(run=run, dice="12", seeds=["other"], witnesses="x", actor=staff)
        run = services.selection_draw(run=run, dice="", seeds=["secret"], witnesses="x", actor=staff)
        assert run.status == RunStatus.DRAWN

    def test_a_second_draw_cannot_start_while_one_is_under_way(self, staff):
        jury = make_jury()
        make_pool(jury, BALANCED)
        services.selection_commit(jury=jury, algorithm="maximin", actor=staff)
        with pytest.raises(ValidationError):
            services.selection_commit(jury=jury, algorithm="maximin", actor=staff)

    def test_computing_twice_changes_nothing(self, staff):
        jury = make_jury()
        make_pool(jury, BALANCED)
        run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=50, actor=staff)
        first = services.selection_compute(run_id=run.pk, legacy_runs=5)
        second = services.selection_compute(run_id=run.pk, legacy_runs=5)
        assert first.panels_sha256 == second.panels_sha256


class TestPersonalData:
    def test_export_and_erasure_follow_the_account_email(self, citizen):
        jury = make_jury()
        invitation = make_invitations(jury, 1)[0]
        services.registrant_register(
            jury=jury,
            code=invitation.response_code,
            first_name="Lou",
            last_name="Durand",
            email=citizen.email.upper(),
            answers={"gender": "f", "age": "old"},
            consent=True,
        )
        from ..personal_data import erase_registrations, export_registrations

        rows = export_registrations(citizen)
        assert rows[0]["last_name"] == "Durand" and rows[0]["answers"] == "age=old, gender=f"
        erase_registrations(citizen)
        person = Registrant.objects.get()
        assert (person.last_name, person.email, person.status) == ("-", "", RegistrantStatus.WITHDRAWN)

    def test_retention_wipes_contacts_of_finished_juries_only(self):
        import datetime

        from django.utils import timezone

        from ..personal_data import volunteers_purge

        finished = make_jury(slug="finished", open_recruitment=False)
        running = make_jury(slug="running")
        make_pool(finished, BALANCED[:2], channel=Channel.PHONE)
        make_pool(running, BALANCED[:2])
        assert volunteers_purge(timezone.now() - datetime.timedelta(days=30)) == 0
        assert volunteers_purge(timezone.now()) == 2
        assert set(Registrant.objects.filter(jury=finished).values_list("email", flat=True)) == {""}
        assert Invitation.objects.filter(jury=finished, address_line="-").count() == 2
        assert not Registrant.objects.filter(jury=running, email="").exists()


def test_a_failed_computation_is_shown_on_the_run_and_can_be_started_again(
    staff, client, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from ..sortition import engine

    jury = make_jury()
    make_pool(jury, BALANCED)

    def broken(*args, **kwargs):
        raise engine.SelectionError("solver exploded")

    monkeypatch.setattr(engine, "find_distribution", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.selection_commit(jury=jury, algorithm="maximin", actor=staff)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "solver exploded" in run.error
    assert "solver exploded" in client.get(reverse("juries:run", args=[jury.slug, run.public_id])).content.decode()
    monkeypatch.undo()
    assert services.selection_compute(run_id=run.pk, legacy_runs=5).status == RunStatus.COMPUTED
