from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from civicplatform.verification.identity import (
    identity_key,
    letter_code_hash,
    letter_code_matches,
    new_letter_code,
    normalise_name,
)


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Lefèvre-Dubois", "LEFEVRE DUBOIS"),
        ("D'Almeida", "d almeida"),
        ("D’Almeida", "DALMEIDA"),
        ("Œuvrard", "oeuvrard"),
        ("Müller", "MULLER"),
        ("  Jean-Pierre   Marie ", "jean pierre marie"),
        ("Ånström", "anstrom"),
        ("ﬁnot", "finot"),
    ],
)
def test_names_match_whatever_the_accents_case_spaces_hyphens_and_apostrophes(written, typed):
    assert normalise_name(written) == normalise_name(typed)


def test_names_with_different_letters_do_not_match():
    assert normalise_name("Martin") != normalise_name("Martine")


def test_identity_key_is_a_keyed_hash_of_the_normalised_identity(settings):
    birth = datetime.date(1985, 7, 14)
    key = identity_key(last_name="Lefèvre", first_names="Hélène", birth_date=birth, postal_code="45100")
    assert len(key) == 64
    assert key == identity_key(last_name="LEFEVRE", first_names="helene", birth_date=birth, postal_code=" 45 100")
    assert key != identity_key(last_name="Lefèvre", first_names="Hélène", birth_date=birth, postal_code="45110")
    assert key != identity_key(
        last_name="Lefèvre", first_names="Hélène", birth_date=birth.replace(day=15), postal_code="45100"
    )
    settings.VERIFICATION_HMAC_KEY = "another-key"
    assert key != identity_key(last_name="Lefèvre", first_names="Hélène", birth_date=birth, postal_code="45100")


def test_missing_hmac_key_fails_loudly(settings):
    settings.VERIFICATION_HMAC_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        identity_key(last_name="A", first_names="B", birth_date=datetime.date(2000, 1, 1), postal_code="45100")


def test_letter_codes_are_readable_and_forgive_case_and_dashes():
    code = new_letter_code()
    assert len(code) == 9
    assert code[4] == "-"
    assert not set(code.replace("-", "")) & set("01OIL")
    assert letter_code_matches(code.lower().replace("-", " "), letter_code_hash(code))
    assert not letter_code_matches("AAAA-AAAA", letter_code_hash(code)) or code == "AAAA-AAAA"
