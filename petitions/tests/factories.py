from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from civicplatform.accounts.tests.factories import ResidentFactory
from civicplatform.territory.tests.factories import MunicipalityFactory

from ..models import (
    SIGNATURE_PHASE,
    Petition,
    PetitionKind,
    PetitionPhase,
    PetitionStatus,
    Signature,
    SignatureState,
    Theme,
)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class PetitionFactory(factory.django.DjangoModelFactory):
    """A petition in the status given; `open` ones get a signature phase around now."""

    class Meta:
        model = Petition
        skip_postgeneration_save = True

    kind = PetitionKind.CIVIC
    status = PetitionStatus.DRAFT
    slug = factory.Sequence(lambda n: f"une-petition-{n}-abc{n:03d}")
    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Une piste cyclable rue {n}")
    summary = "Relier l’école au centre-ville en sécurité."
    author = factory.SubFactory(ResidentFactory)
    response_threshold = 500
    debate_threshold = 2000
    cosponsors_required = 5

    @factory.post_generation
    def open_for(self, create, extracted, **kwargs):
        """open_for=(days_before, days_after): publish with a signature phase from now-before to now+after."""
        if not create or extracted is None:
            return
        before, after = extracted
        now = timezone.now()
        self.published_at = now - datetime.timedelta(days=before)
        self.save(update_fields=["published_at"])
        PetitionPhase.objects.create(
            petition=self,
            kind=SIGNATURE_PHASE,
            starts_at=now - datetime.timedelta(days=before),
            ends_at=now + datetime.timedelta(days=after),
        )


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    petition = factory.SubFactory(PetitionFactory)
    state = SignatureState.VALIDATED
    name = factory.Sequence(lambda n: f"Signataire {n}")
    email = factory.Sequence(lambda n: f"signataire{n}@example.net")
    email_canonical = factory.LazyAttribute(lambda o: o.email.lower() if o.email else None)
    email_domain = "example.net"
    postal_code = "45100"
    confirmed_at = factory.LazyFunction(timezone.now)
