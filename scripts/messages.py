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
    "cms",
    "frontend",
    "forums",
    "budgets",
    "petitions",
    "consultations",
]


def app_dirs(selected: list[str]) -> list[Path]:
    wanted = selected or APP_DIRS
    return [ROOT / name for name in wanted if (ROOT / name).is_dir()]


def make_messages(app_dir: Path) -> None:
    (app_dir / "locale").mkdir(exist_ok=True)
    for domain in ("django", "djangojs"):
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "manage.py"),
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
            ],
            cwd=app_dir,
            check=True,
        )


def compile_messages(app_dir: Path) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), "compilemessages"], cwd=app_dir, check=True)


if __name__ == "__main__":
    for directory in app_dirs(sys.argv[1:]):
        make_messages(directory)
        compile_messages(directory)
