"""Demo petitions for Belleville-sur-Loire (after the territory and accounts demo loaders).

Three open civic petitions with signatures spread over the past weeks, one closed petition
with its official response, one L1112-16 request open to registered electors, one petition
waiting for moderation. Dates are computed from the moment of loading. Loading twice
changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.territory.models import District, Municipality

from .identity import add_months, encrypt_identity, quarter_of
from .models import (
    SIGNATURE_PHASE,
    CouncilDecision,
    OfficialResponse,
    Petition,
    PetitionConfig,
    PetitionKind,
    PetitionPhase,
    PetitionStatus,
    QuarterSignature,
    Signature,
    SignatureState,
    Theme,
    legal_threshold,
)
from .services.counting import counts_fold

THEMES = [
    ("Mobilités", "mobilites"),
    ("Cadre de vie", "cadre-de-vie"),
    ("Environnement", "environnement"),
    ("Culture et loisirs", "culture-loisirs"),
]

# slug, title, summary, theme, status, days since publication, signatures, author e-mail
PETITIONS = [
    (
        "demo-piste-cyclable-ecoles",
        "Une piste cyclable protégée rue des Écoles",
        "Les enfants vont à l’école à vélo au milieu des voitures. Une piste séparée de la chaussée, "
        "de la place de la Mairie au groupe scolaire, rendrait le trajet sûr.",
        "mobilites",
        PetitionStatus.OPEN,
        40,
        312,
        "citoyenne@demo.example",
    ),
    (
        "demo-fontaines-eau-potable",
        "Des fontaines d’eau potable dans les parcs",
        "Pendant les fortes chaleurs, aucun point d’eau n’est accessible au parc des Tilleuls ni au square "
        "de la Gare. Nous demandons trois fontaines.",
        "environnement",
        PetitionStatus.THRESHOLD,
        75,
        614,
        "citoyenne@demo.example",
    ),
    (
        "demo-horaires-mediatheque",
        "Ouvrir la médiathèque le dimanche après-midi",
        "Beaucoup d’habitants travaillent en semaine. Une ouverture le dimanche de 14 h à 18 h permettrait "
        "aux familles d’en profiter.",
        "culture-loisirs",
        PetitionStatus.OPEN,
        12,
        87,
        "citoyenne@demo.example",
    ),
    (
        "demo-eclairage-bords-de-loire",
        "Éclairer le chemin des bords de Loire",
        "Le chemin piéton le long du fleuve n’est pas éclairé : l’hiver, il devient impraticable dès 17 h.",
        "cadre-de-vie",
        PetitionStatus.ANSWERED,
        170,
        731,
        "citoyenne@demo.example",
    ),
]
FORMAL_SLUG = "demo-consultation-halles"
WAITING_SLUG = "demo-jardins-partages"


def _districts() -> list[District]:
    return list(District.objects.order_by("name"))


def _outline(index: int) -> dict:
    # A simple grid of districts around the (fictional) town centre, for the signature map.
    lon, lat = 1.880 + (index % 3) * 0.02, 47.910 - (index // 3) * 0.015
    ring = [[lon, lat], [lon + 0.02, lat], [lon + 0.02, lat - 0.015], [lon, lat - 0.015], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _signatures(petition: Petition, count: int, districts: list[District], start: datetime.datetime) -> None:
    rng = random.Random(petition.slug)  # noqa: S311 - demo data, reproducible
    now = timezone.now()
    span = max((now - start).total_seconds(), 3600)
    rows = []
    for number in range(count):
        # More signatures at the start, as petitions usually go.
        moment = start + datetime.timedelta(seconds=span * rng.random() ** 1.8)
        district = rng.choice(districts) if districts and rng.random() < 0.9 else None
        rows.append(
            Signature(
                petition=petition,
                state=SignatureState.VALIDATED,
                name=f"Signataire {number + 1}",
                public_name=rng.random() < 0.05,
                email=f"signataire-{petition.pk}-{number}@demo.example",
                email_canonical=f"signataire-{petition.pk}-{number}@demo.example",
                email_domain="demo.example",
                postal_code=(district.postal_codes or [""])[0] if district else "",
                district=district,
                notify_response=rng.random() < 0.6,
                consent_at=moment,
                created_at=moment,
                confirmed_at=moment + datetime.timedelta(minutes=rng.randint(1, 90)),
            )
        )
    Signature.objects.bulk_create(rows, batch_size=500)


def _open_phase(petition: Petition, published: datetime.datetime) -> None:
    PetitionPhase.objects.create(
        petition=petition, kind=SIGNATURE_PHASE, starts_at=published, ends_at=add_months(published, 6)
    )


@transaction.atomic
def load_demo(stdout) -> None:
    municipality = Municipality.objects.order_by("pk").first()
    author = User.objects.filter(email="citoyenne@demo.example").first()
    elector = User.objects.filter(email="elu@demo.example").first()
    staff = User.objects.filter(email="agent@demo.example").first()
    if municipality is None or author is None or elector is None:
        stdout.write("Demo petitions skipped: load the territory and accounts demo first.")
        return
    config, _created = PetitionConfig.objects.get_or_create(municipality=municipality)
    districts = _districts()
    if districts and not any(district.outline for district in districts):
        for index, district in enumerate(districts):
            district.outline = _outline(index)
            district.save(update_fields=["outline"])
    themes = {slug: Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0] for name, slug in THEMES}
    now = timezone.now()
    created = 0

    for slug, title, summary, theme, status, days, count, _email in PETITIONS:
        if Petition.objects.filter(slug=slug).exists():
            continue
        published = now - datetime.timedelta(days=days)
        petition = Petition.objects.create(
            slug=slug,
            kind=PetitionKind.CIVIC,
            status=status,
            municipality=municipality,
            title=title,
            summary=summary,
            theme=themes[theme],
            author=author,
            response_threshold=config.response_threshold,
            debate_threshold=config.debate_threshold,
            cosponsors_required=config.cosponsors_required,
            duration_months=config.duration_months,
            created_at=published - datetime.timedelta(days=16),
            submitted_at=published - datetime.timedelta(days=15),
            moderation_at=published - datetime.timedelta(days=12),
            published_at=published,
        )
        _open_phase(petition, published)
        _signatures(petition, count, districts, published)
        if status in (PetitionStatus.THRESHOLD, PetitionStatus.ANSWERED):
            petition.response_threshold_reached_at = published + datetime.timedelta(days=20)
        if status == PetitionStatus.ANSWERED:
            petition.answered_at = now - datetime.timedelta(days=10)
            # Its six months are nearly over: close it, as the periodic task would have.
            petition.phases.update(ends_at=now - datetime.timedelta(days=11))
            petition.closed_at = now - datetime.timedelta(days=11)
            OfficialResponse.objects.create(
                petition=petition,
                author=staff,
                text=(
                    "La commune remercie les signataires. Le chemin des bords de Loire sera équipé de "
                    "lampadaires à détection de présence, sobres en énergie et respectueux de la faune. "
                    "Les travaux commenceront à l’automne."
                ),
                responded_on=(now - datetime.timedelta(days=10)).date(),
                council_decision=CouncilDecision.ACT,
                council_meeting_on=(now - datetime.timedelta(days=14)).date(),
                council_details="Délibération adoptée à l’unanimité ; budget de 85 000 €.",
            )
        petition.save()
        created += 1

    if not Petition.objects.filter(slug=FORMAL_SLUG).exists():
        published = now - datetime.timedelta(days=20)
        formal = Petition.objects.create(
            slug=FORMAL_SLUG,
            kind=PetitionKind.FORMAL,
            status=PetitionStatus.OPEN,
            municipality=municipality,
            title="Organiser une consultation sur l’avenir des halles du marché",
            summary="Nous demandons au conseil municipal d’inscrire à son ordre du jour l’organisation d’une "
            "consultation des électeurs sur la rénovation ou la démolition des halles.",
            theme=themes["cadre-de-vie"],
            author=elector,
            debate_threshold=legal_threshold(
                registered_electors=municipality.registered_electors, is_commune=municipality.is_commune
            ),
            cosponsors_required=config.cosponsors_required,
            duration_months=config.duration_months,
            created_at=published - datetime.timedelta(days=10),
            submitted_at=published - datetime.timedelta(days=9),
            moderation_at=published - datetime.timedelta(days=5),
            published_at=published,
        )
        _open_phase(formal, published)
        if elector.verification_level >= VerificationLevel.ELECTOR:
            signature = Signature.objects.create(
                petition=formal,
                user=elector,
                state=SignatureState.VALIDATED,
                email=elector.email,
                email_canonical=elector.email,
                email_domain="demo.example",
                district=elector.district,
                identity_encrypted=encrypt_identity(
                    {
                        "full_name": "Dominique Élu",
                        "address": "1 place de la Mairie",
                        "postal_code": "45100",
                        "city": municipality.name,
                    }
                ),  # fmt: skip
                consent_at=published,
                created_at=published,
                confirmed_at=published,
            )
            QuarterSignature.objects.get_or_create(
                elector=elector,
                municipality=municipality,
                quarter=quarter_of(published),
                defaults={"petition": formal, "signature": signature, "created_at": published},
            )
        created += 1

    if not Petition.objects.filter(slug=WAITING_SLUG).exists():
        Petition.objects.create(
            slug=WAITING_SLUG,
            kind=PetitionKind.CIVIC,
            status=PetitionStatus.MODERATION,
            municipality=municipality,
            title="Des jardins partagés au pied des immeubles",
            summary="Transformer les pelouses des résidences de la Gare en jardins cultivés par les habitants.",
            theme=themes["environnement"],
            author=author,
            response_threshold=config.response_threshold,
            debate_threshold=config.debate_threshold,
            created_at=now - datetime.timedelta(days=18),
            submitted_at=now - datetime.timedelta(days=17),
            moderation_at=now - datetime.timedelta(days=15),
        )
        created += 1

    counts_fold(petition_ids=list(Petition.objects.filter(slug__startswith="demo-").values_list("pk", flat=True)))
    if created:
        stdout.write(f"Demo petitions: {created} (one answered, one L1112-16 request, one waiting for moderation)")
