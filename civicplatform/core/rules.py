"""Permissions of the shared core. The table is in docs/ROLES.md."""

from __future__ import annotations

import rules

from civicplatform.core.predicates import is_staff

# The audit log names people and their actions: municipal staff only.
rules.add_perm("core.view_audit_log", is_staff)
rules.add_perm("core.export_audit_log", is_staff)
