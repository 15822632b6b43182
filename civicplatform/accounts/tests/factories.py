from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from civicplatform.accounts.models import User, VerificationLevel
from civicplatform.territory.tests.factories import DistrictFactory

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a confirmed e-mail address (verification level 1)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    pseudonym = factory.Sequence(lambda n: f"Participant{n}")
    verification_level = VerificationLevel.EMAIL
    district = factory.SubFactory(DistrictFactory)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def confirmed_email(self, create, extracted, **kwargs):
        if create and self.email and self.verification_level >= VerificationLevel.EMAIL:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ResidentFactory(UserFactory):
    verification_level = VerificationLevel.RESIDENT


class ElectorFactory(UserFactory):
    verification_level = VerificationLevel.ELECTOR


class StaffFactory(UserFactory):
    is_staff = True
    verification_level = VerificationLevel.RESIDENT
