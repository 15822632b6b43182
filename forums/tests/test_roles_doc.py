"""docs/ROLES.md stays true: every forums permission has its row."""

from __future__ import annotations

from pathlib import Path

from rules.permissions import permissions

ROLES = Path(__file__).resolve().parents[2] / "docs" / "ROLES.md"


def test_every_forums_permission_is_in_the_roles_table():
    ours = [name for name in permissions if name.startswith("forums.")]
    assert len(ours) >= 14
    text = ROLES.read_text(encoding="utf-8")
    missing = [name for name in ours if f"`{name}`" not in text]
    assert not missing, f"add these permissions to docs/ROLES.md: {missing}"
