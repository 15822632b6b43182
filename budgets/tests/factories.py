from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from budgets.models import Budget, BudgetPhase, BudgetProcess, Category, Milestone, Project, ProjectStatus
from civicplatform.accounts.models import VerificationLevel


class BudgetProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetProcess
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"budget-{n}")
    title = factory.Sequence(lambda n: f"Budget participatif {2030 + n}")
    description = "Proposez et votez pour les projets de la ville."
    min_verification_level = VerificationLevel.RESIDENT


class BudgetPhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetPhase

    process = factory.SubFactory(BudgetProcessFactory)
    kind = "submission"
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    process = factory.SubFactory(BudgetProcessFactory)
    slug = factory.Sequence(lambda n: f"budget-{n}")
    name = factory.Sequence(lambda n: f"Budget {n}")
    amount = 500000


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    process = factory.SubFactory(BudgetProcessFactory)
    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    budget = factory.SubFactory(BudgetFactory)
    process = factory.SelfAttribute("budget.process")
    title = factory.Sequence(lambda n: f"Projet {n}")
    summary = "Un banc et des arbres."
    description = "Planter des arbres et installer un banc."
    cost = 10000
    status = ProjectStatus.FEASIBLE


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory, status=ProjectStatus.SELECTED)
    date = factory.LazyFunction(timezone.localdate)
    title = "Début des travaux"
    progress = 30
