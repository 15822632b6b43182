"""The demo loader gives a newcomer petitions to look at, and changes nothing the second time."""

from __future__ import annotations

import io

import pytest

from civicplatform.accounts import demo as accounts_demo
from civicplatform.territory import demo as territory_demo
from petitions import demo
from petitions.models import Petition, PetitionKind, PetitionStatus, Signature

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_answered_formal_and_waiting_petitions_and_loads_once(client, settings):
    # `make run` runs every loader listed there: a newcomer sees these petitions.
    assert settings.DEMO_LOADERS.index("petitions.demo") > settings.DEMO_LOADERS.index("civicplatform.accounts.demo")
    out = io.StringIO()
    territory_demo.load_demo(out)
    accounts_demo.load_demo(out)
    demo.load_demo(out)
    petitions = Petition.objects.filter(slug__startswith="demo-")
    counts = {status: petitions.filter(status=status).count() for status in PetitionStatus.values}
    assert counts[PetitionStatus.OPEN] == 3  # two civic, one L1112-16
    assert counts[PetitionStatus.ANSWERED] == 1
    assert counts[PetitionStatus.MODERATION] == 1
    assert petitions.filter(kind=PetitionKind.FORMAL, debate_threshold=1745).exists()
    answered = petitions.get(status=PetitionStatus.ANSWERED)
    assert answered.official_response.text
    assert answered.signature_count == Signature.objects.validated().filter(petition=answered).count() == 731
    before = (Petition.objects.count(), Signature.objects.count())
    demo.load_demo(out)
    assert (Petition.objects.count(), Signature.objects.count()) == before
    page = client.get(answered.get_absolute_url()).content.decode()
    assert "district-map__area" in page
    assert "lampadaires" in page
