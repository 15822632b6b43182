"""Small juries for tests: two features (gender, age), quotas for a panel of 4, an open recruitment."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ..models import Channel, Feature, FeatureValue, Invitation, InvitationBatch, Jury, JuryPhase, JuryPhaseKind
from ..services import household_key, registrant_register

QUOTAS = {"gender": {"f": (2, 2), "m": (2, 2)}, "age": {"young": (1, 3), "old": (1, 3)}}


def make_jury(
    *, slug: str = "jury-test", panel_size: int = 4, published: bool = True, open_recruitment: bool = True
) -> Jury:
    jury = Jury.objects.create(
        slug=slug,
        title="Jury sur la place du marché",
        question="Que faire de la place du marché ?",
        remit="Formuler des recommandations.",
        out_of_scope="Le budget de la voirie départementale.",
        commissioner="Le conseil municipal",
        commitment="Le maire répondra à chaque recommandation dans les trois mois.",
        panel_size=panel_size,
        oversight_group="Association A\nUniversité B",
        published=published,
    )
    now = timezone.now()
    if open_recruitment:
        start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=10)
    else:
        start, end = now - datetime.timedelta(days=20), now - datetime.timedelta(days=10)
    JuryPhase.objects.create(jury=jury, kind=JuryPhaseKind.RECRUITMENT, starts_at=start, ends_at=end)
    for order, (key, values) in enumerate(QUOTAS.items()):
        feature = Feature.objects.create(jury=jury, key=key, label=key.capitalize(), order=order)
        for value_order, (value, (low, high)) in enumerate(values.items()):
            FeatureValue.objects.create(
                feature=feature, key=value, label=value.capitalize(), order=value_order, min_seats=low, max_seats=high
            )
    return jury


def make_invitations(jury: Jury, count: int) -> list[Invitation]:
    batch = InvitationBatch.objects.create(
        jury=jury, source_name="t.csv", source_count=count, source_sha256="", size=count
    )
    return [
        Invitation.objects.create(
            batch=batch,
            jury=jury,
            address_line=f"{n} rue du Test",
            postcode="37000",
            city="Belleville",
            household_key=household_key(f"{n} rue du Test", "37000"),
        )
        for n in range(1, count + 1)
    ]


def make_pool(
    jury: Jury, profiles: list[tuple[str, str]], *, shared: dict[int, int] | None = None, channel: str = Channel.WEB
):
    """One registrant per profile (gender, age); `shared` maps a profile index to the index whose letter it uses."""
    shared = shared or {}
    invitations = make_invitations(jury, len(profiles))
    people = []
    for i, (gender, age) in enumerate(profiles):
        invitation = invitations[shared.get(i, i)]
        people.append(
            registrant_register(
                jury=jury,
                code=invitation.response_code,
                first_name=f"Prénom{i}",
                last_name=f"Nom{i}",
                email=f"p{i}@example.org",
                answers={"gender": gender, "age": age},
                consent=True,
                channel=channel,
            )
        )
    return people


BALANCED = [("f", "young"), ("f", "old"), ("m", "young"), ("m", "old")] * 3


def fr(msgid: str, **params) -> str:
    """What a resident reads: the French translation, with its parameters."""
    from django.utils import translation

    with translation.override("fr"):
        text = translation.gettext(msgid)
    return text % params if params else text
