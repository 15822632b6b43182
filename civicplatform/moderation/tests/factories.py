from __future__ import annotations

import factory

from civicplatform.accounts.tests.factories import UserFactory
from civicplatform.moderation.tests.testmodels import Note, Space


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    name = factory.Sequence(lambda n: f"Forum {n}")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    author = factory.SubFactory(UserFactory)
    space = factory.SubFactory(SpaceFactory)
    text = factory.Sequence(lambda n: f"Message number {n} about the new cycle lane.")
