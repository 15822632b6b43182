"""Write an `Election` as a pabulib `.pb` file (the inverse of `parse_pb`).

Sections META, PROJECTS, VOTES in that order; `;`-separated CSV records, a cell quoted
only when it holds `;`, `"` or a line break (a literal `"` is doubled); list cells joined
with `,` and no spaces; `\\n` line ends, no BOM. META keeps its order and text, except that
`num_projects` and `num_votes` are set from the data, so the file is always consistent.

Voters are written as parsed (ids and extra columns); an election built in code without
voter rows gets voter ids `1..n`, one row per voter. When an `Outcome` is given, the
PROJECTS columns `votes`, `score` (points ballots only) and `selected` are (re)written
from it, which is how a closed process is exported for independent audit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .model import CUMULATIVE, SCORING, Election, format_amount
from .outcome import Outcome


def write_pb(election: Election, outcome: Outcome | None = None) -> str:
    """Return the text of a pabulib file for `election` (optionally with `outcome`'s results)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")

    meta = dict(election.meta)
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(election.num_voters)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(meta.items())

    columns = list(election.project_columns)
    if outcome is not None:
        computed = ["votes", "score", "selected"] if election.uses_points else ["votes", "selected"]
        columns = computed + [name for name in columns if name not in computed]
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", *columns])
    for project in election.projects.values():
        fields = dict(project.fields)
        if outcome is not None:
            result = outcome.results[project.id]
            fields.update(votes=str(result.votes), score=str(result.score), selected=str(int(result.selected)))
        writer.writerow([project.id, format_amount(project.cost), *(fields.get(name, "") for name in columns)])

    with_points = election.vote_type in (CUMULATIVE, SCORING)
    writer.writerow(["VOTES"])
    writer.writerow(["voter_id", "vote", *(["points"] if with_points else []), *election.voter_columns])
    for voter_id, ballot_index, extra in _voter_rows(election):
        ballot = election.ballots[ballot_index]
        points = [",".join(str(value) for value in ballot.points or ())] if with_points else []
        writer.writerow([voter_id, ",".join(ballot.projects), *points, *extra])
    return buffer.getvalue()


def _voter_rows(election: Election) -> Iterator[tuple[str, int, tuple[str, ...]]]:
    if election.voters is not None:
        for voter in election.voters:
            yield voter.voter_id, voter.ballot, voter.extra
        return
    blank = ("",) * len(election.voter_columns)
    number = 0
    for index, ballot in enumerate(election.ballots):
        for _ in range(ballot.multiplicity):
            number += 1
            yield str(number), index, blank
