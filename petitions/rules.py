"""Permissions of petitions. The table is in docs/ROLES.md ("Petitions") and is tested as a
matrix in petitions/tests/test_rules.py.

The object is a Petition. Signing while logged in and signing without an account are two
permissions: only a civic petition can be signed without an account, and only the logged-in
one can take a co-sponsorship or an L1112-16 signature.
"""

from __future__ import annotations

import rules

from civicplatform.core.predicates import is_blocked, is_elector, is_staff, is_verified_resident

from .predicates import (
    in_moderation,
    is_anonymous,
    is_answerable,
    is_archivable,
    is_author,
    is_civic,
    is_draft,
    is_formal,
    is_gathering,
    is_publicly_visible,
    is_published,
    meets_sign_level,
    moderates_petitions,
    signature_open,
)

rules.add_perm("petitions.view_petition", is_publicly_visible | is_author | moderates_petitions)

# Starting: a verified resident for a civic petition, a registered elector for an L1112-16 request.
rules.add_perm("petitions.add_petition", is_verified_resident & ~is_blocked)
rules.add_perm("petitions.add_formal_request", is_elector & ~is_blocked)
rules.add_perm("petitions.change_petition", is_author & is_draft & ~is_blocked)
rules.add_perm("petitions.submit_petition", is_author & is_draft & ~is_blocked)

# Co-sponsors support a new petition before moderation (never its author).
rules.add_perm("petitions.cosponsor_petition", is_gathering & ~is_author & meets_sign_level & ~is_blocked)
rules.add_perm("petitions.sign_petition", signature_open & meets_sign_level & ~is_blocked)
rules.add_perm("petitions.sign_petition_anonymously", is_anonymous & is_civic & signature_open)
rules.add_perm("petitions.withdraw_signature", signature_open | is_gathering)

rules.add_perm("petitions.moderate_petition", moderates_petitions & in_moderation)
rules.add_perm("petitions.view_moderation_queue", moderates_petitions)
rules.add_perm("petitions.review_signatures", moderates_petitions)
rules.add_perm("petitions.respond_petition", is_staff & is_answerable)
rules.add_perm("petitions.archive_petition", is_staff & is_archivable)
# The list of L1112-16 signatories (names, addresses) goes to the mayor: staff only, audited.
rules.add_perm("petitions.export_signatories", is_staff & is_formal & is_published)
rules.add_perm("petitions.configure_petitions", is_staff)
