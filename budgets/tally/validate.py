"""Consistency checks from the pabulib checker that do not stop a tally.

`parse_pb` refuses what cannot be tallied; these are the softer problems a file can
have and still be counted: META counts that disagree with the rows, and PROJECTS
`votes`/`score` columns that disagree with the ballots.
"""

from __future__ import annotations

from .model import Election


def consistency_problems(election: Election) -> list[str]:
    """Human-readable problems, empty when the file is consistent."""
    problems: list[str] = []
    for key, actual in (("num_projects", len(election.projects)), ("num_votes", election.num_voters)):
        declared = election.meta.get(key, "").strip()
        if declared and declared != str(actual):
            problems.append(f"META {key} is {declared} but the file has {actual}")
    for column, counted in (("votes", election.votes), ("score", election.scores)):
        for project in election.projects.values():
            declared = project.fields.get(column)
            if declared is not None and declared != str(counted[project.id]):
                problems.append(
                    f"project {project.id}: {column} column says {declared}, the ballots give {counted[project.id]}"
                )
    return problems
