from __future__ import annotations

import uuid

import pytest
from django.urls import resolve, reverse

PUBLIC_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("list", {}, "/notifications/"),
        ("mark_all_read", {}, "/notifications/tout-lu/"),
        ("mark_read", {"public_id": PUBLIC_ID}, f"/notifications/{PUBLIC_ID}/lu/"),
        ("preferences", {}, "/notifications/preferences/"),
        ("unsubscribe", {"token": "abc:def:ghi"}, "/notifications/desabonnement/abc:def:ghi/"),
        (
            "follow",
            {"model": "forums.comment", "ref": str(PUBLIC_ID)},
            f"/notifications/suivre/forums.comment/{PUBLIC_ID}/",
        ),
    ],
)
def test_urls_round_trip(name, kwargs, path):
    assert reverse(f"notifications:{name}", kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == f"notifications:{name}"
    assert match.kwargs == kwargs
