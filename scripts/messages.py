"""Extract and compile translation catalogues, one per app.

Each app keeps its own `locale/` (fr and en), so apps never share a catalogue
and can be worked on independently. Usage:

    python scripts/messages.py              # every app
    python scripts/messages.py forums cms   # only these app folders

English is the source language: the en catalogue exists for completeness and
stays identity; every French entry must be translated and not fuzzy (a test
enforces it: frontend/tests/test_translations.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
APP_DIRS = [
    "civicplatform/core",
    "civicplatform/territory",
    "civicplatform/accounts",
    "civicplatform/moderation",
    "civicplatform/notifications",
    "civicplatform/verification",
    "civicplatform/franceconnect",
    "civicplatform/ballots",
    "cms",
    "frontend",
    "forums",
    "budgets",
    "petitions",
    "consultations",
    "consultations/juries",
    "opendata",
]

# An app folder nested in another keeps its own catalogue: the outer app skips it.
EXTRA_IGNORES = {"consultations": ["juries/*"]}


def app_dirs(selected: list[str]) -> list[Path]:
    wanted = selected or APP_DIRS
    return [ROOT / name for name in wanted if (ROOT / name).is_dir()]


# Django starts in the project root, then the command works in the app folder:
# Celery's Django fix-up puts the working directory first on sys.path, where an
# app's rules.py would shadow the django-rules package.
MANAGE_IN = (
    "import os, sys, django; from django.core.management import call_command; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'civicplatform.settings.dev'); "
    "django.setup(); os.chdir(sys.argv[1]); call_command(*sys.argv[2:])"
)


def manage_in(app_dir: Path, *args: str) -> None:
    subprocess.run([PYTHON, "-c", MANAGE_IN, str(app_dir), *args], cwd=ROOT, check=True)


def make_messages(app_dir: Path) -> None:
    (app_dir / "locale").mkdir(exist_ok=True)
    for domain in ("django", "djangojs"):
        manage_in(
            app_dir,
            *[
                "makemessages",
                "-l",
                "fr",
                "-l",
                "en",
                "-d",
                domain,
                "--no-location",
                "--no-obsolete",
                "-i",
                "tests/*",
                "-i",
                "migrations/*",
                *[arg for pattern in EXTRA_IGNORES.get(app_dir.name, []) for arg in ("-i", pattern)],
            ],
        )


def compile_messages(app_dir: Path) -> None:
    manage_in(app_dir, "compilemessages")


if __name__ == "__main__":
    for directory in app_dirs(sys.argv[1:]):
        make_messages(directory)
        compile_messages(directory)
