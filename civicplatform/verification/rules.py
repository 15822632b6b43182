"""Who may do what in verification: staff run the registers, the letters, the conflicts and the desk."""

from __future__ import annotations

import rules

from civicplatform.core.predicates import is_staff

rules.add_perm("verification.manage_registers", is_staff)
rules.add_perm("verification.resolve_conflicts", is_staff)
rules.add_perm("verification.send_letters", is_staff)
rules.add_perm("verification.work_at_desk", is_staff)
