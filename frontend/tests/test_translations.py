"""Every French catalogue is complete, compiled and up to date with the code.

French is the platform's default language: an untranslated string shows English
to residents, a fuzzy one shows a guess, a stale .mo shows yesterday's text, and a
string missing from the catalogue is never translated at all. English is the
source language, so only the French catalogues are checked.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

# One worker runs the whole module: the extraction check is a single subprocess.
pytestmark = pytest.mark.xdist_group("translations")

ROOT = Path(__file__).resolve().parents[2]
PRUNE = {".venv", ".git", "node_modules", "var", "__pycache__", ".ruff_cache"}
DOMAINS = ("django.po", "djangojs.po")


def _french_catalogues() -> list[Path]:
    found = []
    for directory, subdirs, files in os.walk(ROOT):
        subdirs[:] = [name for name in subdirs if name not in PRUNE]
        if directory.endswith(os.path.join("locale", "fr", "LC_MESSAGES")):
            found += [Path(directory) / name for name in files if name in DOMAINS]
    return sorted(found)


CATALOGUES = _french_catalogues()


def _label(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _key(entry: polib._BaseEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _translation(entry: polib._BaseEntry) -> str | tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


def _live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def test_the_project_has_french_catalogues():
    assert CATALOGUES, "no locale/fr/LC_MESSAGES/django.po found: run scripts/messages.py"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_label)
def test_every_french_entry_is_translated_and_not_fuzzy(po_path):
    po = polib.pofile(str(po_path))
    plurals = int(po.metadata.get("Plural-Forms", "nplurals=2").split("nplurals=")[1].split(";")[0])
    problems = []
    for entry in _live_entries(po):
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            forms = [entry.msgstr_plural.get(index, "") for index in range(plurals)]
            if not all(forms):
                problems.append(f"untranslated plural form: {entry.msgid!r} / {entry.msgid_plural!r}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, f"{_label(po_path)}: fill every msgstr and remove '#, fuzzy':\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_label)
def test_compiled_catalogue_matches_its_source(po_path):
    # File dates mean nothing in a git checkout, so compare contents: what msgfmt would compile
    # from the .po (translated, not fuzzy, not obsolete) against what the committed .mo holds.
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{_label(mo_path)} is missing: run `python scripts/messages.py <app>`"
    po = polib.pofile(str(po_path))
    expected = {_key(entry): _translation(entry) for entry in po.translated_entries() if not entry.obsolete}
    compiled = {_key(entry): _translation(entry) for entry in polib.mofile(str(mo_path)) if entry.msgid}
    missing = sorted(str(key[1]) for key in expected.keys() - compiled.keys())
    extra = sorted(str(key[1]) for key in compiled.keys() - expected.keys())
    changed = sorted(str(key[1]) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key])
    stale = {"not compiled": missing, "compiled but gone from the .po": extra, "translation changed": changed}
    problems = {reason: msgids for reason, msgids in stale.items() if msgids}
    assert not problems, f"{_label(mo_path)} is stale: run `python scripts/messages.py <app>` to recompile: {problems}"


def _app_dirs() -> list[str]:
    spec = importlib.util.spec_from_file_location("project_messages", ROOT / "scripts" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [name for name in module.APP_DIRS if (ROOT / name / "locale" / "fr" / "LC_MESSAGES").is_dir()]


SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js"}
# The same folders scripts/messages.py excludes with -i, plus what holds no source strings.
SKIP_FOLDERS = {"tests", "migrations", "locale", "__pycache__", "node_modules"}

EXTRACT = """
import os, sys
import django
django.setup()
from django.core.management import call_command
for folder in sys.argv[1:]:
    os.chdir(folder)
    for domain in ("django", "djangojs"):
        if os.path.exists(os.path.join("locale", "wanted-" + domain)):
            call_command("makemessages", locale=["fr"], domain=domain, no_location=True, verbosity=0)
"""


def _copy_sources(source: Path, target: Path) -> None:
    # An app inside another app's folder (consultations/juries) has its own catalogue.
    def ignore(directory: str, names: list[str]) -> list[str]:
        return [
            name
            for name in names
            if name in SKIP_FOLDERS
            or (Path(directory) / name / "apps.py").exists()
            or (not (Path(directory) / name).is_dir() and Path(name).suffix not in SOURCE_SUFFIXES)
        ]

    shutil.copytree(source, target, ignore=ignore)


def test_makemessages_would_find_no_new_string(tmp_path):
    work: list[tuple[str, Path]] = []
    for name in _app_dirs():
        copy = tmp_path / name.replace("/", "__")
        _copy_sources(ROOT / name, copy)
        (copy / "locale").mkdir()
        for domain in ("django", "djangojs"):
            if (ROOT / name / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po").exists():
                (copy / "locale" / f"wanted-{domain}").touch()
        work.append((name, copy))
    assert work, "no app folder from scripts/messages.py has a locale/ folder"

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "civicplatform.settings.dev", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", EXTRACT, *(str(copy) for _, copy in work)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    missing: list[str] = []
    for name, copy in work:
        for domain in ("django", "djangojs"):
            extracted_path = copy / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"
            committed_path = ROOT / name / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"
            if not committed_path.exists():
                continue
            extracted = set()
            if extracted_path.exists():
                extracted = {_key(entry) for entry in polib.pofile(str(extracted_path))}
            committed = {_key(entry) for entry in _live_entries(polib.pofile(str(committed_path)))}
            missing += [f"{name} ({domain}): {msgid!r}" for _, msgid in sorted(extracted - committed, key=str)]
    assert not missing, (
        "Strings in the code that the catalogues lack; run `python scripts/messages.py <app>` and translate them:\n  "
        + "\n  ".join(missing)
    )
