"""`.env.example` documents every environment variable the code reads, and only those.

The variables are found by reading the source, not by importing it: a new
`env_str("X")` anywhere in the project fails this test until X is documented.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"
COMPOSE = ROOT / "docker-compose.yml"
READERS = {"env_str", "env_bool", "env_int", "env_list", "env_secret"}
OS_READERS = {"get", "setdefault"}
SKIP_DIRS = {".venv", "var", "node_modules", "tests", "bench", "migrations", "__pycache__", ".git"}
# env.py holds the readers themselves: the names they are given are found at each call.
SKIP_FILES = {ROOT / "conftest.py", ROOT / "civicplatform" / "env.py"}
SETTINGS = ROOT / "civicplatform" / "settings"


def _test_only(path: Path) -> bool:
    # Test settings (test.py, worker_test.py) read CI and test plumbing that deployments never set.
    return path.parent == SETTINGS and (path.stem == "test" or path.stem.endswith("_test"))


DOCUMENTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def _sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts[:-1])
        and path not in SKIP_FILES
        and not _test_only(path)
    ]


def _literal(node: ast.expr | None) -> str | None:
    """A variable name, or for an f-string such as f"RETENTION_DAYS_{purpose}" the pattern RETENTION_DAYS_*."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "*" for part in node.values)
    return None


def _matches(pattern: str, name: str) -> bool:
    regex = "[A-Z0-9_]+".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, name) is not None


def _is_os_environ(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def _reads_environment(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id in READERS
    if isinstance(func, ast.Attribute):
        return func.attr in READERS or func.attr == "getenv" or (func.attr in OS_READERS and _is_os_environ(func.value))
    return False


def env_reads() -> dict[str, str]:
    """Variable name -> first place it is read (path:line)."""
    found: dict[str, str] = {}
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            name = None
            if isinstance(node, ast.Call) and node.args and _reads_environment(node.func):
                name = _literal(node.args[0])
            elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
                name = _literal(node.slice)
            if name and name not in found:
                found[name] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def documented() -> set[str]:
    return set(DOCUMENTED.findall(ENV_EXAMPLE.read_text()))


def test_the_scanner_finds_the_variables_we_know_are_read():
    reads = env_reads()
    for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "VERIFICATION_HMAC_KEY", "DJANGO_SETTINGS_MODULE"):
        assert name in reads


def test_every_variable_the_code_reads_is_in_env_example():
    names = documented()
    # A family read through an f-string (RETENTION_DAYS_*) needs each member spelled out: at least one.
    missing = {name: where for name, where in env_reads().items() if not any(_matches(name, known) for known in names)}
    assert not missing, "Document these in .env.example:\n" + "\n".join(
        f"  {name}  (read at {where})" for name, where in sorted(missing.items())
    )


def test_env_example_lists_nothing_that_is_not_read():
    used_by_compose = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))
    reads = set(env_reads())
    stale = {name for name in documented() - used_by_compose if not any(_matches(pattern, name) for pattern in reads)}
    assert not stale, f"No code or docker-compose.yml reads these; remove them from .env.example: {sorted(stale)}"


def test_env_example_ships_no_secret_values():
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", ENV_EXAMPLE.read_text(), re.MULTILINE))
    for secret in ("DJANGO_SECRET_KEY", "VERIFICATION_HMAC_KEY", "ALTCHA_HMAC_KEY", "PETITIONS_IDENTITY_KEY"):
        assert values.get(secret) == "", f"{secret} must be left empty in .env.example"


def test_each_retention_period_can_be_found_in_env_example(settings):
    # RETENTION_DAYS_<PURPOSE> is read in a loop, so the scan above sees only the family.
    names = documented()
    undocumented = [
        f"RETENTION_DAYS_{p.upper()}" for p in settings.RETENTION_DAYS if f"RETENTION_DAYS_{p.upper()}" not in names
    ]
    assert not undocumented, f"Document in .env.example: {undocumented}"


def test_each_variable_is_documented_once():
    names = DOCUMENTED.findall(ENV_EXAMPLE.read_text())
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"Listed more than once in .env.example: {repeated}"
