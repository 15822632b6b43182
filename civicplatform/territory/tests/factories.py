from __future__ import annotations

import factory

from civicplatform.territory.models import District, Municipality


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("insee_code",)

    name = "Belleville-sur-Loire"
    insee_code = "45999"
    registered_electors = 17450
    population = 24600


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")
    postal_codes = factory.LazyFunction(lambda: ["45100"])
    population = 5000
