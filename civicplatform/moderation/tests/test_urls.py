from __future__ import annotations

import uuid

import pytest
from django.urls import resolve, reverse

KEY = "moderation.note"
ID = uuid.UUID("6f1c1a53-5d6c-4a57-9d2a-5c0f3e7b9a10")


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("queue", [], "/moderation/"),
        ("report", [KEY, ID], f"/moderation/signaler/{KEY}/{ID}/"),
        ("content", [KEY, ID], f"/moderation/contenu/{KEY}/{ID}/"),
        ("hide", [KEY, ID], f"/moderation/contenu/{KEY}/{ID}/masquer/"),
        ("restore", [KEY, ID], f"/moderation/contenu/{KEY}/{ID}/retablir/"),
        ("dismiss", [KEY, ID], f"/moderation/contenu/{KEY}/{ID}/classer/"),
        ("block_author", [KEY, ID], f"/moderation/contenu/{KEY}/{ID}/bloquer-auteur/"),
        ("blocked_users", [], "/moderation/bloques/"),
        ("unblock", [ID], f"/moderation/bloques/{ID}/debloquer/"),
        ("audit_log", [], "/moderation/journal/"),
        ("audit_log_export", [], "/moderation/journal/export.csv"),
    ],
)
def test_urls_round_trip(name, args, path):
    assert reverse(f"moderation:{name}", args=args) == path
    assert resolve(path).view_name == f"moderation:{name}"
