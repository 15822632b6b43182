"""French typography in the French catalogues: a non-breaking space before ":", ";", "?" and "!".

French sets these signs apart from the word before them; with an ordinary space a phone may put
the sign alone at the start of the next line ("Budget restant" / ": 100 €"). The catalogues use the
no-break space U+00A0 (the narrow U+202F is accepted too). Addresses ("https://"), times ("10:30"),
HTML (tags, entities such as "&nbsp;", <code> examples) and placeholders are not prose and are skipped.

The .po files are scanned; frontend/tests/test_translations.py checks that each .mo matches its .po.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PRUNE = {".venv", ".git", "node_modules", "var", "__pycache__", ".ruff_cache"}
DOMAINS = ("django.po", "djangojs.po")

# App folders (relative to the repository) whose catalogues are not checked yet, each with why, e.g.
# {"consultations/juries": "its catalogue is being regenerated"}. To check one again, delete its line.
EXCLUDED: dict[str, str] = {}

NO_BREAK_SPACES = "\u00a0\u202f"
SIGNS = ":;?!"

# What is not French prose, blanked out before the signs are checked.
NOT_PROSE = re.compile(
    r"<code>.*?</code>"  # code examples
    r"|<[^>]*>"  # HTML tags and their attributes
    r"|&#?\w+;"  # HTML entities
    r"|\b[a-z][a-z0-9+.-]*://\S*"  # addresses: https://…, ftp://…
    r"|\bmailto:\S*"
    r"|(?<=\w)[:;](?=\w)"  # notation, not prose: 10:30, 4.5:1, code:points
    r"|%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-z]|%[sd%]|\{[\w.]*\}"  # placeholders
    r"|\?[\w-]+=\S*",  # query strings: ?page=2
    re.DOTALL,
)


def _french_catalogues() -> list[Path]:
    found = []
    for directory, subdirs, files in os.walk(ROOT):
        subdirs[:] = [name for name in subdirs if name not in PRUNE]
        if directory.endswith(os.path.join("locale", "fr", "LC_MESSAGES")):
            app = Path(directory).parents[2].relative_to(ROOT).as_posix()
            if app not in EXCLUDED:
                found += [Path(directory) / name for name in files if name in DOMAINS]
    return sorted(found)


CATALOGUES = _french_catalogues()


def spacing_problems(text: str) -> list[str]:
    """Each sign in `text` not preceded by a no-break space, shown with what comes before it."""
    prose = NOT_PROSE.sub(lambda match: "_" * len(match.group()), text)
    problems = []
    for index, char in enumerate(prose):
        if char not in SIGNS:
            continue
        before = prose[index - 1] if index else ""
        if before in NO_BREAK_SPACES or (before and before in SIGNS + "…"):
            continue  # "?!" and "…?" are one group of signs
        problems.append(repr(text[max(0, index - 20) : index + 1]))
    return problems


def test_the_checker_knows_french_from_everything_else():
    assert spacing_problems("Budget restant\u00a0: 100 €. Pourquoi\u00a0? Enfin\u00a0!") == []
    assert spacing_problems('Voir https://example.org/a?b=1 à 10:30, &nbsp; <a href="x">lien</a>') == []
    assert spacing_problems("%(label)s\u00a0: %(count)s, <code>id;cost</code>, code:points, %(ratio).1f:1") == []
    assert spacing_problems("Budget restant : 100 €.") == ["'Budget restant :'"]
    assert spacing_problems("Vraiment?") == ["'Vraiment?'"]
    assert spacing_problems("%(label)s: %(number)s") == ["'%(label)s:'"]


def test_the_project_has_french_catalogues_to_check():
    assert CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_french_entries_have_a_no_break_space_before_double_signs(po_path):
    problems = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        for found in (problem for text in translations for problem in spacing_problems(text)):
            problems.append(f"line {entry.linenum}: {found}")
    assert not problems, (
        f"{po_path.relative_to(ROOT)}: put a no-break space (U+00A0) before : ; ? ! in French:\n  "
        + "\n  ".join(problems)
    )
