"""Every write of the juries app: recruitment, quotas, selection by lot and the public draw."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from civicplatform.core.services import audit_record

from .models import (
    Channel,
    FeatureValue,
    Invitation,
    InvitationBatch,
    Jury,
    JuryPhaseKind,
    JuryStatus,
    Registrant,
    RegistrantStatus,
    RunStatus,
    SelectionRun,
)
from .sortition import draw

MAX_LETTERS = 20000


# ------------------------------------------------------------------------------
# Recruitment: invitation letters drawn from an imported list
# ------------------------------------------------------------------------------
def normalise_address(address_line: str, postcode: str) -> str:
    text = unicodedata.normalize("NFKD", f"{address_line} {postcode}").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def household_key(address_line: str, postcode: str) -> str:
    """Keyed hash of the normalised address: equal for the same household, meaningless without the key."""
    return salted_hmac("juries.household", normalise_address(address_line, postcode), algorithm="sha256").hexdigest()


def parse_address_list(content: bytes) -> list[dict[str, str]]:
    """An address or electoral list as CSV (columns address, postcode, city, optional name; `;` or `,`)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    aliases = {
        "address": ("address", "adresse", "address_line", "address_line1"),
        "postcode": ("postcode", "code_postal", "cp", "zip"),
        "city": ("city", "commune", "ville"),
        "name": ("name", "nom", "addressee"),
    }
    fields = {name.strip().lower(): name for name in (reader.fieldnames or [])}
    columns = {key: next((fields[a] for a in names if a in fields), None) for key, names in aliases.items()}
    if not columns["address"] or not columns["postcode"]:
        raise ValidationError(_("The list needs an address column and a postcode column."))
    rows = []
    for row in reader:
        address = (row.get(columns["address"]) or "").strip()
        postcode = (row.get(columns["postcode"]) or "").strip()
        if not address or not postcode:
            continue
        rows.append(
            {
                "address_line": address,
                "postcode": postcode,
                "city": (row.get(columns["city"]) or "").strip() if columns["city"] else "",
                "addressee": (row.get(columns["name"]) or "").strip() if columns["name"] else "",
            }
        )
    if not rows:
        raise ValidationError(_("The list contains no address."))
    return rows


@transaction.atomic
def invitation_batch_draw(
    *, jury: Jury, rows: Sequence[Mapping[str, str]], size: int, source_name: str, source_sha256: str, actor: Any
) -> InvitationBatch:
    """Draw `size` households at random (OS CSPRNG) from the list, skipping households already invited.

    Only the drawn addresses are stored: the rest of the list is not kept (data minimisation).
    """
    if not 1 <= size <= MAX_LETTERS:
        raise ValidationError({"size": _("Choose between 1 and %(max)d letters.") % {"max": MAX_LETTERS}})
    already = set(Invitation.objects.filter(jury=jury).values_list("household_key", flat=True))
    households: dict[str, Mapping[str, str]] = {}
    for row in rows:
        key = household_key(row["address_line"], row["postcode"])
        if key not in already:
            households.setdefault(key, row)
    if size > len(households):
        raise ValidationError(
            {"size": _("The list has only %(count)d households not yet invited.") % {"count": len(households)}}
        )
    drawn = secrets.SystemRandom().sample(sorted(households), size)
    batch = InvitationBatch.objects.create(
        jury=jury,
        source_name=source_name[:200],
        source_count=len(rows),
        source_sha256=source_sha256,
        size=size,
        created_by=actor,
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                batch=batch,
                jury=jury,
                addressee=households[key].get("addressee", "")[:200],
                address_line=households[key]["address_line"][:250],
                postcode=households[key]["postcode"][:10],
                city=households[key].get("city", "")[:120],
                household_key=key,
            )
            for key in drawn
        ]
    )
    audit_record(
        action="juries.invitations_drawn",
        actor=actor,
        target=jury,
        data={"batch": batch.pk, "list": source_name, "list_size": len(rows), "letters": size, "sha256": source_sha256},
    )
    if jury.status == JuryStatus.DRAFT:
        jury.status = JuryStatus.RECRUITING
        jury.save(update_fields=["status", "updated_at"])
    return batch


# ------------------------------------------------------------------------------
# Registration (web form with the letter's code, or staff on the phone)
# ------------------------------------------------------------------------------
def invitation_for_code(*, jury: Jury, code: str) -> Invitation | None:
    cleaned = re.sub(r"[^A-Z0-9]", "", code.upper())
    return Invitation.objects.filter(jury=jury, response_code=cleaned).first()


def recruitment_open(jury: Jury) -> bool:
    now = timezone.now()
    return jury.published and any(
        p.kind == JuryPhaseKind.RECRUITMENT and p.is_active_at(now) for p in jury.phases.all()
    )


@transaction.atomic
def registrant_register(
    *,
    jury: Jury,
    code: str,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    answers: Mapping[str, str],
    consent: bool,
    channel: str = Channel.WEB,
    actor: Any = None,
) -> Registrant:
    """Add a volunteer to the pool. Anyone living at an invited address may register;
    the selection seats at most one person per household."""
    if channel == Channel.WEB and not recruitment_open(jury):
        raise ValidationError(_("Registration for this jury is closed."))
    if not consent:
        raise ValidationError({"consent": _("We need your consent to keep your answers for the selection.")})
    invitation = invitation_for_code(jury=jury, code=code)
    if invitation is None:
        raise ValidationError({"code": _("This code does not match any invitation letter for this jury.")})
    if not email and not phone:
        raise ValidationError({"email": _("Give an e-mail address or a telephone number so that we can reach you.")})
    expected = {f.key: {v.key for v in f.values.all()} for f in jury.features.prefetch_related("values")}
    clean_answers = {key: answers.get(key, "") for key in expected}
    wrong = [key for key, value in clean_answers.items() if value not in expected[key]]
    if wrong:
        raise ValidationError({f"answer_{key}": _("Choose one of the answers.") for key in wrong})
    registrant = Registrant(
        jury=jury,
        invitation=invitation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        answers=clean_answers,
        consent_at=timezone.now(),
        channel=channel,
        registered_by=actor if channel != Channel.WEB else None,
    )
    registrant.full_clean(exclude=["invitation", "jury", "registered_by"])
    try:
        with transaction.atomic():
            registrant.save()
    except IntegrityError as error:
        raise ValidationError(_("This person has already registered with this letter.")) from error
    audit_record(
        action="juries.registered",
        actor=actor if channel != Channel.WEB else None,
        target=jury,
        data={"pseudonym": registrant.pseudonym, "channel": channel},
    )
    return registrant


# ------------------------------------------------------------------------------
# Quotas and feasibility
# ------------------------------------------------------------------------------
@transaction.atomic
def quotas_from_census(*, jury: Jury, actor: Any) -> int:
    """Set each value's quota from its census share: floor and ceiling of share × panel size."""
    changed = 0
    for value in FeatureValue.objects.filter(feature__jury=jury, census_share__isnull=False):
        target = float(value.census_share) * jury.panel_size / 100
        value.min_seats, value.max_seats = math.floor(target), math.ceil(target)
        value.save(update_fields=["min_seats", "max_seats"])
        changed += 1
    audit_record(action="juries.quotas_from_census", actor=actor, target=jury, data={"values": changed})
    return changed


def pool_rows(jury: Jury, *, exclude_households_of: Iterable[Registrant] = ()) -> list[dict[str, str]]:
    """The pool as the library reads it: pseudonym, household label, one answer per feature."""
    blocked = {r.invitation.household_key for r in exclude_households_of}
    people = jury.registrants.filter(status=RegistrantStatus.REGISTERED).select_related("invitation")
    return [
        {"id": r.pseudonym, "household": r.household_label, **r.answers}
        for r in people
        if r.invitation.household_key not in blocked
    ]


def quota_rows(jury: Jury) -> list[dict[str, Any]]:
    return [
        {"feature": v.feature.key, "value": v.key, "min": v.min_seats, "max": v.max_seats}
        for v in FeatureValue.objects.filter(feature__jury=jury).select_related("feature")
    ]


@dataclass
class Relaxation:
    feature: str
    value: str
    min: int
    max: int
    new_min: int
    new_max: int
    # What staff read (the question and the answer as worded); the keys above are what is applied.
    feature_label: str = ""
    value_label: str = ""


@dataclass
class Feasibility:
    ok: bool
    problems: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)


def feasibility_check(
    *,
    quotas: Sequence[Mapping[str, Any]],
    pool: Sequence[Mapping[str, str]],
    size: int,
    labels: Mapping[str, str] | None = None,
) -> Feasibility:
    """Can a panel of `size` meet every quota with one person per household? If not, why, and what to relax.

    Plain counting checks first (they explain most failures in words), then the exact test:
    the library's panel ILP, which on failure proposes the smallest relaxation of the quotas.
    """
    from .sortition import engine

    labels = labels or {}

    def label(feature: str, value: str | None = None) -> str:
        """Staff's wording of a feature ("feature") or of one of its answers ("feature/value")."""
        key = feature if value is None else f"{feature}/{value}"
        return labels.get(key, value if value is not None else feature)

    problems: list[str] = []
    by_feature: dict[str, list[Mapping[str, Any]]] = {}
    for quota in quotas:
        by_feature.setdefault(quota["feature"], []).append(quota)
    if not by_feature:
        return Feasibility(False, [_("No stratification feature has quotas yet.")])
    if len(pool) < size:
        problems.append(_("The pool has %(pool)d people for %(size)d seats.") % {"pool": len(pool), "size": size})
    for feature, values in by_feature.items():
        low, high = sum(int(v["min"]) for v in values), sum(int(v["max"]) for v in values)
        if low > size:
            problems.append(
                _("%(feature)s: the minimums add up to %(low)d, more than the %(size)d seats.")
                % {"feature": label(feature), "low": low, "size": size}
            )
        if high < size:
            problems.append(
                _("%(feature)s: the maximums add up to %(high)d, fewer than the %(size)d seats.")
                % {"feature": label(feature), "high": high, "size": size}
            )
        for value in values:
            available = sum(1 for p in pool if p.get(feature) == value["value"])
            if available < int(value["min"]):
                problems.append(
                    _("%(feature)s = %(value)s: %(min)d seats required but only %(count)d volunteers.")
                    % {
                        "feature": label(feature),
                        "value": label(feature, value["value"]),
                        "min": int(value["min"]),
                        "count": available,
                    }
                )
    relaxations: list[Relaxation] = []
    if len(pool) >= size:
        try:
            features = engine.load_features([dict(q) for q in quotas], 0)
            people = engine.load_people(pool, features)
            engine.setup_committee_generation(features, people, size, ["household"], engine.DEFAULT_BACKEND)
        except engine.InfeasibleQuotasError as error:
            if not problems:
                problems.append(_("No panel meets every quota with at most one person per household."))
            for quota in quotas:
                relaxed = error.features[quota["feature"]][quota["value"]]
                if (relaxed.min, relaxed.max) != (int(quota["min"]), int(quota["max"])):
                    relaxations.append(
                        Relaxation(
                            quota["feature"],
                            quota["value"],
                            int(quota["min"]),
                            int(quota["max"]),
                            relaxed.min,
                            relaxed.max,
                            label(quota["feature"]),
                            label(quota["feature"], quota["value"]),
                        )
                    )
        except Exception as error:  # the library reports bad tables with its own exception types
            problems.append(_("The quotas cannot be read: %(error)s") % {"error": error})
    return Feasibility(not problems, problems, relaxations)


def jury_feasibility(jury: Jury, size: int | None = None) -> Feasibility:
    labels: dict[str, str] = {}
    for feature in jury.features.prefetch_related("values"):
        labels[feature.key] = feature.label
        labels.update({f"{feature.key}/{value.key}": value.label for value in feature.values.all()})
    return feasibility_check(quotas=quota_rows(jury), pool=pool_rows(jury), size=size or jury.panel_size, labels=labels)


@transaction.atomic
def quotas_apply_relaxation(*, jury: Jury, relaxations: Iterable[Relaxation], actor: Any) -> None:
    for r in relaxations:
        FeatureValue.objects.filter(feature__jury=jury, feature__key=r.feature, key=r.value).update(
            min_seats=r.new_min, max_seats=r.new_max
        )
    audit_record(
        action="juries.quotas_relaxed",
        actor=actor,
        target=jury,
        data={"changes": [[r.feature, r.value, r.min, r.max, r.new_min, r.new_max] for r in relaxations]},
    )


# ------------------------------------------------------------------------------
# Selection: commit the inputs, compute the panels (Celery), draw in public
# ------------------------------------------------------------------------------
def run_settings(
    *,
    jury: Jury,
    algorithm: str,
    panel_size: int,
    lottery_size: int,
    seed_commitments: Sequence[str],
    replacement: bool,
) -> str:
    from .sortition import engine

    return draw.canonical_json(
        {
            "rule": draw.RULE,
            "jury": jury.slug,
            "algorithm": algorithm,
            "panel_size": panel_size,
            "lottery_size": lottery_size,
            "households": "at most one person per household",
            "replacement": replacement,
            "library": f"sortition-algorithms {engine.LIBRARY_VERSION}",
            "solver": engine.DEFAULT_BACKEND,
            "seed_commitments": sorted(c.lower() for c in seed_commitments),
        }
    )


@transaction.atomic
def selection_commit(
    *,
    jury: Jury,
    algorithm: str,
    actor: Any,
    lottery_size: int = 1000,
    seed_commitments: Sequence[str] = (),
    quotas: Sequence[Mapping[str, Any]] | None = None,
    panel_size: int | None = None,
    exclude_households_of: Iterable[Registrant] = (),
    replacement: bool = False,
) -> SelectionRun:
    """Freeze and publish the inputs of a draw (pool, quotas, settings and their hashes), then compute.

    Refuses infeasible quotas before anything is published; the computation runs after commit.
    """
    from .sortition import engine
    from .tasks import selection_compute as selection_compute_task

    if algorithm not in ("maximin", "leximin"):
        raise ValidationError({"algorithm": _("Choose maximin or leximin for a public draw.")})
    if SelectionRun.objects.filter(
        jury=jury, status__in=[RunStatus.COMMITTED, RunStatus.RUNNING, RunStatus.COMPUTED]
    ).exists():
        raise ValidationError(_("A selection is already under way for this jury."))
    bad = [c for c in seed_commitments if not re.fullmatch(r"[0-9a-fA-F]{64}", c)]
    if bad:
        raise ValidationError(
            {"seed_commitments": _("Each seed commitment is a SHA-256 hash: 64 hexadecimal characters.")}
        )
    size = panel_size or jury.panel_size
    quotas = list(quotas if quotas is not None else quota_rows(jury))
    pool = pool_rows(jury, exclude_households_of=exclude_households_of)
    feasibility = feasibility_check(quotas=quotas, pool=pool, size=size)
    if not feasibility.ok:
        raise ValidationError(feasibility.problems)
    pool_text = draw.pool_csv(pool, [f.key for f in jury.features.all()])
    quotas_text = draw.quotas_csv(quotas)
    settings_text = run_settings(
        jury=jury,
        algorithm=algorithm,
        panel_size=size,
        lottery_size=lottery_size,
        seed_commitments=seed_commitments,
        replacement=replacement,
    )
    commitment = draw.commitment_of(
        draw.sha256_hex(pool_text), draw.sha256_hex(quotas_text), draw.sha256_hex(settings_text)
    )
    run = SelectionRun.objects.create(
        jury=jury,
        algorithm=algorithm,
        panel_size=size,
        lottery_size=lottery_size,
        is_replacement=replacement,
        pool_csv=pool_text,
        quotas_csv=quotas_text,
        settings_json=settings_text,
        commitment=commitment,
        created_by=actor,
    )
    audit_record(
        action="juries.selection_committed",
        actor=actor,
        target=jury,
        data={
            "run": str(run.public_id),
            "commitment": commitment,
            "pool_sha256": draw.sha256_hex(pool_text),
            "quotas_sha256": draw.sha256_hex(quotas_text),
            "settings_sha256": draw.sha256_hex(settings_text),
            "library": engine.LIBRARY_VERSION,
        },
    )
    if jury.status in (JuryStatus.DRAFT, JuryStatus.RECRUITING):
        jury.status = JuryStatus.SELECTING
        jury.save(update_fields=["status", "updated_at"])
    transaction.on_commit(lambda: selection_compute_task.delay(run.pk))
    return run


def selection_compute(*, run_id: int, legacy_runs: int = 100) -> SelectionRun:
    """Compute the fair distribution of a committed run, round it to m panels and publish them.

    Safe to run twice: a run already computed (or drawn) is returned unchanged.
    """
    from .sortition import engine

    with transaction.atomic():
        run = SelectionRun.objects.select_for_update().get(pk=run_id)
        if run.status not in (RunStatus.COMMITTED, RunStatus.FAILED):
            return run
        run.status = RunStatus.RUNNING
        run.error = ""
        run.save(update_fields=["status", "error"])

    def progress(percent: int, message: str) -> None:
        SelectionRun.objects.filter(pk=run_id).update(progress=min(percent, 99), progress_message=message[:200])

    try:
        quotas = draw.read_csv(run.quotas_csv)
        pool = draw.read_csv(run.pool_csv)
        features = engine.load_features(quotas, run.panel_size)
        people = engine.load_people(pool, features)
        distribution = engine.find_distribution(
            features, people, run.panel_size, algorithm=run.algorithm, progress=progress
        )
        panels = engine.round_to_lottery(distribution, run.lottery_size, seed=draw.rounding_seed(run.commitment))
        progress(99, "legacy comparison")
        try:
            legacy = engine.legacy_frequencies(features, people, run.panel_size, runs=legacy_runs)
        except engine.SelectionError:
            legacy = None  # a comparison only: the fair selection stands without it
    except Exception as error:  # any failure is shown to staff on the run page; the run can be retried
        SelectionRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(error)[:2000])
        raise
    panels_text = draw.panels_json(run.commitment, panels, distribution.marginals)
    with transaction.atomic():
        run = SelectionRun.objects.select_for_update().get(pk=run_id)
        run.panels_json = panels_text
        run.panels_sha256 = draw.sha256_hex(panels_text)
        run.min_probability = distribution.minimum
        if legacy is not None:
            run.legacy_probabilities = {k: round(v, 4) for k, v in legacy.marginals.items()}
            run.legacy_min_probability = legacy.minimum
        run.status = RunStatus.COMPUTED
        run.progress = 100
        run.progress_message = ""
        run.computed_at = timezone.now()
        run.save()
        audit_record(
            action="juries.panels_published",
            target=run.jury,
            data={
                "run": str(run.public_id),
                "panels_sha256": run.panels_sha256,
                "min_probability": run.min_probability,
            },
        )
    return run


@transaction.atomic
def selection_draw(
    *, run: SelectionRun, dice: str, seeds: Sequence[str], witnesses: str, actor: Any, base_url: str = ""
) -> SelectionRun:
    """Pick the panel from public randomness (rule juries-draw-v1) and seat its members.

    With `base_url`, the selected volunteers are e-mailed a confirmation link after commit."""
    from .tasks import selection_notify as selection_notify_task

    run = SelectionRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.COMPUTED:
        raise ValidationError(_("This selection is not waiting for its draw."))
    dice = draw.normalise_dice(dice)
    seeds = [s.strip() for s in seeds if s.strip()]
    settings = json.loads(run.settings_json)
    if sorted(draw.sha256_hex(s) for s in seeds) != sorted(settings["seed_commitments"]):
        raise ValidationError({"seeds": _("The seeds revealed do not match the hashes published before the draw.")})
    if not dice and not seeds:
        raise ValidationError({"dice": _("Enter the dice results or the revealed seeds.")})
    if dice and len(dice) < len(str(run.lottery_size - 1)):
        raise ValidationError(
            {"dice": _("Roll at least %(count)d ten-sided dice.") % {"count": len(str(run.lottery_size - 1))}}
        )
    panels = json.loads(run.panels_json)["panels"]
    index = draw.draw_index(panels_sha256=run.panels_sha256, dice=dice, seeds=seeds, size=len(panels))
    run.randomness_json = draw.canonical_json({"dice": dice, "seeds": seeds})
    run.panel_number = index + 1
    run.selected = list(panels[index])
    run.witnesses = witnesses.strip()
    run.status = RunStatus.DRAWN
    run.drawn_at = timezone.now()
    run.save()
    Registrant.objects.filter(jury=run.jury, pseudonym__in=run.selected).update(status=RegistrantStatus.SELECTED)
    audit_record(
        action="juries.drawn",
        actor=actor,
        target=run.jury,
        data={
            "run": str(run.public_id),
            "panel_number": run.panel_number,
            "dice": dice,
            "seeds": seeds,
            "witnesses": run.witnesses,
            "selected": run.selected,
        },
    )
    if base_url:
        transaction.on_commit(lambda: selection_notify_task.delay(run.pk, base_url))
    return run


def run_files(run: SelectionRun) -> dict[str, str]:
    """The published files of a run, as `jury_verify` reads them."""
    files = {"pool.csv": run.pool_csv, "quotas.csv": run.quotas_csv, "settings.json": run.settings_json}
    if run.panels_json:
        files["panels.json"] = run.panels_json
    if run.status == RunStatus.DRAWN:
        files["randomness.json"] = run.randomness_json
        files["audit.json"] = draw.canonical_json(
            {
                "commitment": run.commitment,
                "hashes": {
                    "pool.csv": draw.sha256_hex(run.pool_csv),
                    "quotas.csv": draw.sha256_hex(run.quotas_csv),
                    "settings.json": draw.sha256_hex(run.settings_json),
                    "panels.json": run.panels_sha256,
                },
                "panel_number": run.panel_number,
                "selected": run.selected,
                "witnesses": run.witnesses,
                "drawn_at": run.drawn_at.isoformat() if run.drawn_at else "",
            }
        )
    return files


# ------------------------------------------------------------------------------
# After the draw: confirmation, drop-outs and replacements
# ------------------------------------------------------------------------------
CONFIRM_SALT = "juries.confirm"
SEATED = (RegistrantStatus.SELECTED, RegistrantStatus.CONFIRMED)


def confirmation_token(registrant: Registrant) -> str:
    return signing.dumps({"r": registrant.pk, "j": registrant.jury_id}, salt=CONFIRM_SALT)


def registrant_for_token(token: str) -> Registrant | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=60 * 60 * 24 * 60)
    except signing.BadSignature:
        return None
    return Registrant.objects.filter(pk=data.get("r"), jury_id=data.get("j")).select_related("jury").first()


def selection_notify(*, run_id: int, base_url: str) -> int:
    """E-mail each newly selected volunteer who gave an address: a link to confirm or decline.
    Those reached by phone are confirmed by staff from the dashboard."""
    run = SelectionRun.objects.select_related("jury").get(pk=run_id)
    sent = 0
    people = Registrant.objects.filter(jury=run.jury, pseudonym__in=run.selected, status=RegistrantStatus.SELECTED)
    for person in people.exclude(email="").filter(notified_at__isnull=True):
        if not Registrant.objects.filter(pk=person.pk, notified_at__isnull=True).update(notified_at=timezone.now()):
            continue
        link = base_url + reverse("juries:confirm", args=[confirmation_token(person)])
        body = render_to_string("juries/emails/selected.txt", {"jury": run.jury, "person": person, "link": link})
        send_mail(
            _("You have been drawn for the citizen jury “%(title)s”") % {"title": run.jury.title},
            body,
            None,
            [person.email],
        )
        sent += 1
    return sent


@transaction.atomic
def registrant_respond(*, registrant: Registrant, status: str, actor: Any = None, reason: str = "") -> Registrant:
    """A selected person confirms or declines (by the e-mail link, or staff after a call); a seated
    member may withdraw later. Declines and withdrawals open seats for a replacement draw."""
    registrant = Registrant.objects.select_for_update().get(pk=registrant.pk)
    allowed = {
        RegistrantStatus.SELECTED: {RegistrantStatus.CONFIRMED, RegistrantStatus.DECLINED},
        RegistrantStatus.CONFIRMED: {RegistrantStatus.WITHDRAWN},
    }
    if status not in allowed.get(registrant.status, set()):
        raise ValidationError(_("This answer is not possible at this stage."))
    previous = registrant.status
    registrant.status = status
    registrant.save(update_fields=["status"])
    audit_record(
        action="juries.member_status",
        actor=actor,
        target=registrant.jury,
        reason=reason,
        data={"pseudonym": registrant.pseudonym, "from": previous, "to": status},
    )
    from .services_workspace import seat_after_status_change  # the seat and forum follow the status

    seat_after_status_change(registrant=registrant, status=status, actor=actor)
    return registrant


def replacement_quotas(jury: Jury) -> tuple[list[dict[str, Any]], int, list[Registrant]]:
    """The quota shortfall left by drop-outs: each value's seats minus those already seated."""
    seated = list(jury.registrants.filter(status__in=SEATED).select_related("invitation"))
    quotas = []
    for quota in quota_rows(jury):
        taken = sum(1 for person in seated if person.answers.get(quota["feature"]) == quota["value"])
        quotas.append({**quota, "min": max(0, quota["min"] - taken), "max": max(0, quota["max"] - taken)})
    return quotas, jury.panel_size - len(seated), seated


def replacement_commit(
    *,
    jury: Jury,
    actor: Any,
    algorithm: str = "maximin",
    lottery_size: int = 1000,
    seed_commitments: Sequence[str] = (),
) -> SelectionRun:
    """Draw replacements for the empty seats from the remaining pool, with the same method and the
    same public procedure. Housemates of seated members are left out of the pool."""
    quotas, seats, seated = replacement_quotas(jury)
    if seats <= 0:
        raise ValidationError(_("Every seat is filled: there is nothing to replace."))
    return selection_commit(
        jury=jury,
        algorithm=algorithm,
        actor=actor,
        lottery_size=lottery_size,
        seed_commitments=seed_commitments,
        quotas=quotas,
        panel_size=seats,
        exclude_households_of=seated,
        replacement=True,
    )
