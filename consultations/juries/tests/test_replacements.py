"""After the draw: confirmation by e-mail link or by staff, drop-outs, and replacements that
respect the quota shortfall and the households of seated members."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from civicplatform.core.models import AuditEvent

from .. import services
from ..models import Registrant, RegistrantStatus, RunStatus
from ..sortition import draw
from .factories import make_jury, make_pool

pytestmark = pytest.mark.django_db

# 16 volunteers for a panel of 4 (2 women, 2 men; 1-3 young, 1-3 old).
POOL = [("f", "young"), ("f", "old"), ("m", "young"), ("m", "old")] * 4


def drawn_jury(staff, *, shared=None):
    jury = make_jury()
    make_pool(jury, POOL, shared=shared)
    run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=50, actor=staff)
    run = services.selection_compute(run_id=run.pk, legacy_runs=5)
    run = services.selection_draw(run=run, dice="12", seeds=[], witnesses="A", actor=staff)
    return jury, run


def test_selected_people_get_one_email_with_a_link_that_confirms(client, staff, django_capture_on_commit_callbacks):
    jury = make_jury()
    make_pool(jury, POOL)
    run = services.selection_commit(jury=jury, algorithm="maximin", lottery_size=50, actor=staff)
    run = services.selection_compute(run_id=run.pk, legacy_runs=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.selection_draw(run=run, dice="12", seeds=[], witnesses="A", actor=staff, base_url="http://testserver")
    assert len(mail.outbox) == 4
    assert (
        services.selection_notify(run_id=run.pk, base_url="http://testserver") == 0
    )  # a redelivered task sends nothing
    message = mail.outbox[0]
    person = Registrant.objects.get(email=message.to[0])
    link = next(word for word in message.body.split() if "/confirmer/" in word).removeprefix("http://testserver")
    page = client.get(link)
    assert page.status_code == 200 and jury.title in page.content.decode()
    assert client.post(link, {"answer": "maybe"}).status_code == 400
    assert client.post(link, {"answer": "confirm"}).status_code == 302
    person.refresh_from_db()
    assert person.status == RegistrantStatus.CONFIRMED
    assert client.get("/jurys/confirmer/forged-token/").status_code == 404


def test_staff_record_answers_and_a_confirmed_member_cannot_decline(client, staff):
    jury, run = drawn_jury(staff)
    first, second = Registrant.objects.filter(pseudonym__in=run.selected)[:2]
    client.force_login(staff)
    url = reverse("juries:member_status", args=[jury.slug, first.pseudonym])
    assert client.post(url, {"status": "confirmed"}).status_code == 302
    first.refresh_from_db()
    assert first.status == RegistrantStatus.CONFIRMED
    with pytest.raises(ValidationError):
        services.registrant_respond(registrant=first, status=RegistrantStatus.DECLINED)
    services.registrant_respond(registrant=second, status=RegistrantStatus.DECLINED, actor=staff)
    assert AuditEvent.objects.filter(action="juries.member_status").count() == 2


def test_replacements_fill_the_quota_shortfall_and_leave_out_housemates(staff):
    # Every volunteer i (i >= 4) shares a letter with volunteer i - 4: same profile, same household.
    jury, run = drawn_jury(staff, shared={i: i - 4 for i in range(4, 16)})
    seated = list(Registrant.objects.filter(pseudonym__in=run.selected).select_related("invitation"))
    leaving = next(p for p in seated if p.answers["gender"] == "f")
    services.registrant_respond(registrant=leaving, status=RegistrantStatus.DECLINED)
    quotas, seats, _ = services.replacement_quotas(jury)
    assert seats == 1
    assert {(q["feature"], q["value"]): (q["min"], q["max"]) for q in quotas}[("gender", "f")] == (1, 1)
    assert {(q["feature"], q["value"]): (q["min"], q["max"]) for q in quotas}[("gender", "m")] == (0, 0)

    replacement = services.replacement_commit(jury=jury, algorithm="maximin", lottery_size=20, actor=staff)
    pool = {row["id"] for row in draw.read_csv(replacement.pool_csv)}
    still_seated = [p for p in seated if p.pk != leaving.pk]
    housemates = Registrant.objects.filter(invitation__in=[p.invitation for p in still_seated])
    assert not pool & set(housemates.values_list("pseudonym", flat=True))
    assert leaving.pseudonym not in pool  # who declined is not drawn again
    replacement = services.selection_compute(run_id=replacement.pk, legacy_runs=5)
    replacement = services.selection_draw(run=replacement, dice="37", seeds=[], witnesses="A", actor=staff)
    assert replacement.status == RunStatus.DRAWN and replacement.panel_size == 1
    newcomer = Registrant.objects.get(pseudonym=replacement.selected[0])
    assert newcomer.answers["gender"] == "f" and newcomer.status == RegistrantStatus.SELECTED
    assert json.loads(replacement.settings_json)["replacement"] is True


def test_no_replacement_when_every_seat_is_filled(staff):
    jury, _ = drawn_jury(staff)
    with pytest.raises(ValidationError):
        services.replacement_commit(jury=jury, actor=staff)
