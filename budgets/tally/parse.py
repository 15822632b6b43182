"""Read a pabulib `.pb` file into an `Election`.

The format (pabulib.org, "format"): UTF-8 text, optionally with a BOM; three sections
introduced by a line `META`, `PROJECTS`, `VOTES` (compared case-insensitively after
trimming), each followed by a header row. Every row is a CSV record with `;` as the
delimiter and standard double-quote escaping, so the whole file goes through one
`csv.reader` (a quoted name may hold `;` or even a line break). List cells (`vote`,
`points`) are comma-separated. A cell reading `None` (any case) counts as empty, like
pabutools does. Blank lines are ignored.

What is refused, with the line number, as `PbFormatError`: a missing section or
obligatory column (`budget`, `project_id`, `cost`, `voter_id`, `vote`), a row with the
wrong number of cells, an amount that is not `digits[.digits]` (a decimal comma
included), a duplicate project or voter id, a vote for an unknown project, a project
listed twice in one vote, `points` that are not integers or do not match the `vote` list.
Counts that disagree with META (`num_votes`...) are not errors here: see `validate.py`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .model import CUMULATIVE, ORDINAL, SCORING, VOTE_TYPES, Ballot, Election, Project, Voter, parse_amount

SECTIONS = ("meta", "projects", "votes")


class PbFormatError(ValueError):
    """The file is not a readable pabulib election; `line` is 1-based (None: whole file)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


def parse_pb(source: str | Path | bytes) -> Election:
    """Parse a pabulib election from a path, raw bytes, or the file's text.

    A `str` is taken as the text itself when it contains a line break, else as a path.
    """
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        source = Path(source).read_bytes()
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PbFormatError(f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from None
    return _Reader(source.removeprefix("\ufeff")).read()


def _cell(value: str) -> str:
    value = value.strip()
    return "" if value.lower() == "none" else value


class _Reader:
    def __init__(self, text: str) -> None:
        self.rows = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
        self.meta: dict[str, str] = {}
        self.projects: dict[str, Project] = {}
        self.project_columns: tuple[str, ...] = ()
        self.voter_columns: tuple[str, ...] = ()
        self.ballot_keys: list[tuple[tuple[str, ...], tuple[int, ...] | None]] = []
        self.ballot_counts: list[int] = []
        self.ballot_index: dict[object, int] = {}
        self.voters: list[Voter] = []
        self.voter_ids: set[str] = set()

    @property
    def line(self) -> int:
        return self.rows.line_num

    def fail(self, message: str) -> PbFormatError:
        return PbFormatError(message, self.line)

    def read(self) -> Election:
        section: str | None = None
        header: list[str] | None = None
        seen: list[str] = []
        try:
            for row in self.rows:
                if not row or all(not cell.strip() for cell in row):
                    continue
                title = row[0].strip().lower()
                if title in SECTIONS and all(not cell.strip() for cell in row[1:]):
                    if title in seen:
                        raise self.fail(f"section {title.upper()} appears twice")
                    seen.append(title)
                    section, header = title, None
                    continue
                if section is None:
                    raise self.fail("the file must start with a META line")
                if header is None:
                    header = [cell.strip().lower() for cell in row]
                    self.start_section(section, header)
                    continue
                if len(row) != len(header):
                    raise self.fail(f"{len(row)} cells where the {section.upper()} header has {len(header)}")
                getattr(self, f"read_{section}")(header, row)
        except csv.Error as error:
            raise self.fail(f"unreadable CSV: {error}") from None
        for title in SECTIONS:
            if title not in seen:
                raise PbFormatError(f"the {title.upper()} section is missing")
        ballots = [
            Ballot(projects=projects, multiplicity=count, points=points)
            for (projects, points), count in zip(self.ballot_keys, self.ballot_counts, strict=True)
        ]
        return Election(
            meta=self.meta,
            projects=self.projects,
            ballots=ballots,
            project_columns=self.project_columns,
            voter_columns=self.voter_columns,
            voters=self.voters,
        )

    def start_section(self, section: str, header: list[str]) -> None:
        required = {"meta": ("key", "value"), "projects": ("project_id", "cost"), "votes": ("voter_id", "vote")}
        missing = [name for name in required[section] if name not in header]
        if missing:
            raise self.fail(f"the {section.upper()} header lacks {', '.join(missing)}")
        if len(set(header)) != len(header):
            raise self.fail(f"the {section.upper()} header repeats a column")
        if section == "projects":
            self.check_meta()
            self.project_columns = tuple(name for name in header if name not in ("project_id", "cost"))
        elif section == "votes":
            if not self.projects:
                raise self.fail("VOTES comes before any project")
            skip = {"voter_id", "vote"}
            if self.vote_type in (CUMULATIVE, SCORING):
                if "points" not in header:
                    raise self.fail(f"{self.vote_type} ballots need a points column")
                skip.add("points")
            self.voter_columns = tuple(name for name in header if name not in skip)

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval").lower()

    def check_meta(self) -> None:
        if "budget" not in self.meta:
            raise self.fail("META has no budget")
        try:
            parse_amount(self.meta["budget"])
        except ValueError as error:
            raise self.fail(f"META budget: {error}") from None
        if self.vote_type not in VOTE_TYPES:
            raise self.fail(
                f"unknown vote_type {self.meta.get('vote_type')!r}; expected one of {', '.join(VOTE_TYPES)}"
            )

    def read_meta(self, header: list[str], row: list[str]) -> None:
        key = row[header.index("key")].strip()
        if key in self.meta:
            raise self.fail(f"META key {key!r} appears twice")
        self.meta[key] = _cell(row[header.index("value")])

    def read_projects(self, header: list[str], row: list[str]) -> None:
        cells = dict(zip(header, row, strict=True))
        project_id = cells.pop("project_id").strip()
        if not project_id:
            raise self.fail("empty project_id")
        if project_id in self.projects:
            raise self.fail(f"project {project_id!r} appears twice")
        try:
            cost = parse_amount(cells.pop("cost"))
        except ValueError as error:
            raise self.fail(f"cost of project {project_id!r}: {error}") from None
        fields = {name: _cell(value) for name, value in cells.items() if _cell(value)}
        self.projects[project_id] = Project(id=project_id, cost=cost, fields=fields)

    def read_votes(self, header: list[str], row: list[str]) -> None:
        cells = dict(zip(header, row, strict=True))
        voter_id = cells.pop("voter_id").strip()
        if voter_id in self.voter_ids:
            raise self.fail(f"voter {voter_id!r} appears twice")
        self.voter_ids.add(voter_id)
        vote = _cell(cells.pop("vote"))
        projects = tuple(item.strip() for item in vote.split(",")) if vote else ()
        for project_id in projects:
            if project_id not in self.projects:
                raise self.fail(f"voter {voter_id!r} votes for unknown project {project_id!r}")
        if len(set(projects)) != len(projects):
            raise self.fail(f"voter {voter_id!r} lists a project twice")
        points = None
        if self.vote_type in (CUMULATIVE, SCORING):
            points = self.read_points(voter_id, _cell(cells.pop("points")), len(projects))
        if points is not None:
            key: object = frozenset(zip(projects, points, strict=True))
        elif self.vote_type == ORDINAL:
            key = projects
        else:
            key = frozenset(projects)
        index = self.ballot_index.get(key)
        if index is None:
            index = self.ballot_index[key] = len(self.ballot_keys)
            self.ballot_keys.append((projects, points))
            self.ballot_counts.append(1)
        else:
            self.ballot_counts[index] += 1
        extra = tuple(cells[name] for name in self.voter_columns)
        self.voters.append(Voter(voter_id=voter_id, ballot=index, extra=extra))

    def read_points(self, voter_id: str, text: str, length: int) -> tuple[int, ...]:
        items = [item.strip() for item in text.split(",")] if text else []
        if len(items) != length:
            raise self.fail(f"voter {voter_id!r} has {len(items)} points for {length} projects")
        try:
            return tuple(int(item) for item in items)
        except ValueError:
            raise self.fail(f"voter {voter_id!r}: points must be whole numbers, got {text!r}") from None
