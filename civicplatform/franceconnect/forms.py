from __future__ import annotations

from civicplatform.accounts.forms import SignupExtraForm


class PseudonymForm(SignupExtraForm):
    """A FranceConnect newcomer's public pseudonym and consent to the terms.

    The same fields and rules as every other signup (accounts.forms). The
    pseudonym is never prefilled: FranceConnect's real names must not leak into it.
    """

    field_order = ["pseudonym", "accept_terms"]
