"""Test-only models: a space with phases and a reportable note.

They are declared under the "moderation" label but kept out of the app
registry except while a moderation test runs (see conftest.py), so neither
makemigrations nor the rest of the suite ever sees them. Their tables are
created inside each test's transaction and vanish with its rollback.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models

from civicplatform.core.phases import DatedPhase
from civicplatform.moderation.models import Moderatable


class Space(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        app_label = "moderation"

    def __str__(self) -> str:
        return self.name


class SpacePhase(DatedPhase):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="phases")

    class Meta(DatedPhase.Meta):
        app_label = "moderation"


class Note(Moderatable):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(Space, null=True, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()

    class Meta:
        app_label = "moderation"
        verbose_name = "note"

    def __str__(self) -> str:
        return self.text[:30]

    def get_moderation_space(self) -> models.Model | None:
        return self.space

    def get_absolute_url(self) -> str:
        return f"/notes/{self.public_id}/"


TEST_MODELS: tuple[type[models.Model], ...] = (Space, SpacePhase, Note)


def register_test_models() -> None:
    for model in TEST_MODELS:
        apps.all_models["moderation"][model._meta.model_name] = model
    apps.clear_cache()


def unregister_test_models() -> None:
    for model in TEST_MODELS:
        apps.all_models["moderation"].pop(model._meta.model_name, None)
    apps.clear_cache()


# Declaring a model registers it: take them out again until a test asks for them.
unregister_test_models()
