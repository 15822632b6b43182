"""Permissions of juries: staff run recruitment and the draw; anyone may read a published jury
and register with a letter's code while registration is open (checked by the service)."""

from __future__ import annotations

import rules

from civicplatform.core.predicates import is_staff

rules.add_perm("juries.manage_jury", is_staff)
