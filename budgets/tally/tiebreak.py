"""Tie-breaking: an ordered chain of criteria, applied only between exactly tied projects.

A tie is an exact equality of the rule's own measure: the same number of votes (or
points) for greedy; the same ρ (equivalently the same effective vote count) for MES.
Tied projects are ordered by the first criterion of the chain; those still equal by the
next one, and so on. Criteria:

* `min_cost` — the cheaper project first; `max_cost` — the dearer first;
* `max_votes` — more voters listing it first; `min_votes` — fewer first;
* `max_score` — more points first (= `max_votes` for approval ballots);
* `order` — the position in an explicit list given with the chain (a lottery drawn and
  published before counting; projects missing from the list come after, by id);
* `id` — the project id compared as a **string**, smallest first (so `"10"` beats `"9"`):
  pabutools' default `lexico_tie_breaking` and the only criterion of ("id",).

`id` is always appended to the chain when absent: ids are unique, so every chain gives a
total order and a tally is deterministic. The default chain is
("min_cost", "max_votes", "id") — equalshares.net's recommendation and what the pabulib
`equalshares/add1` outcomes (Wieliczka 2023, Assen 2024) were checked with. Pass
("id",) to reproduce pabutools' defaults exactly. The same chain is used in every MES run
of Add1 and in the greedy completion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

CRITERIA = ("min_cost", "max_cost", "max_votes", "min_votes", "max_score", "order", "id")
DEFAULT_CHAIN = ("min_cost", "max_votes", "id")
PABUTOOLS_CHAIN = ("id",)


@dataclass(frozen=True)
class TieBreaking:
    """A tie-breaking chain; `order` is the published lottery order used by the `order` criterion."""

    chain: tuple[str, ...] = DEFAULT_CHAIN
    order: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [name for name in self.chain if name not in CRITERIA]
        if unknown:
            raise ValueError(f"unknown tie-breaking criteria {unknown}; choose from {', '.join(CRITERIA)}")
        if "order" in self.chain and not self.order:
            raise ValueError("the 'order' criterion needs the list of project ids (the lottery order)")
        if "id" not in self.chain:
            object.__setattr__(self, "chain", (*self.chain, "id"))

    @classmethod
    def parse(cls, value: str | Iterable[str] | TieBreaking | None, order: Iterable[str] = ()) -> TieBreaking:
        """Accept `"min_cost,max_votes,id"`, a sequence of names, a TieBreaking, or None (the default)."""
        if value is None:
            return cls(order=tuple(order))
        if isinstance(value, TieBreaking):
            return value
        names = value.split(",") if isinstance(value, str) else list(value)
        return cls(chain=tuple(name.strip() for name in names if name.strip()), order=tuple(order))

    def key_function(
        self, costs: Mapping[str, object], votes: Mapping[str, int], scores: Mapping[str, int]
    ) -> Callable[[str], tuple]:
        """A sort key on project ids: tied projects sort in tie-breaking order, the winner first."""
        position = {project_id: index for index, project_id in enumerate(self.order)}
        unlisted = len(position)
        parts: list[Callable[[str], object]] = []
        for name in self.chain:
            if name == "min_cost":
                parts.append(lambda pid: costs[pid])
            elif name == "max_cost":
                parts.append(lambda pid: -costs[pid])  # type: ignore[operator]
            elif name == "max_votes":
                parts.append(lambda pid: -votes[pid])
            elif name == "min_votes":
                parts.append(lambda pid: votes[pid])
            elif name == "max_score":
                parts.append(lambda pid: -scores[pid])
            elif name == "order":
                parts.append(lambda pid: position.get(pid, unlisted))
            else:
                parts.append(lambda pid: pid)
        return lambda pid: tuple(part(pid) for part in parts)
