"""Budget tallies: our engine (budgets.tally) against the pabutools reference, same run.

    python -m bench.tally                    # largest shared file + 150,000-ballot synthetic election
    python -m bench.tally --voters 20000 --timeout 60
    python -m bench.tally --no-pabutools     # our engine only
    python -m bench.tally --elections synthetic --rules greedy mes

Elections: the largest pabulib file in ../shared/data/pabulib/ (Warsaw 2026 Stegny,
891 voters), the Kraków ordinal file (points utilities), and a synthetic approval
election (seeded: 60 projects with log-normal costs, popularity decaying geometrically,
ballots of 1-5 projects, budget 30 % of the total cost).

Each rule runs once on each side with the same semantics and the same tie-breaking
(min cost, then max votes, then id — passed to pabutools as a TieBreakingRule):

| here | pabutools |
|---|---|
| greedy | greedy_utilitarian_welfare(Cost_Sat) (points×cost satisfaction for points ballots) |
| mes (no Add1) | method_of_equal_shares(Cost_Sat), endowment budget ÷ voters |
| mes-add1/pabutools (exact start, stop when exhaustive) | method_of_equal_shares(voter_budget_increment=1) |
| mes-add1 (pabulib equalshares/add1) | fixed-budget MES in a loop from ⌊B/n⌋, +1 until the next overspends |

Times are CPU seconds of the process doing the tally (time.process_time), which the
load of a shared machine disturbs far less than wall time. pabutools runs in a child
process stopped after `--timeout` seconds of wall time and is then reported as "> N s",
N being the CPU time it had spent tallying (no winners to compare). Profiles go through
as_multiprofile().
Prints a Markdown table for docs/BENCHMARKS.md (section "Budget tallies").
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from queue import Empty

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgets.tally import Ballot, Election, MesOptions, Project, parse_pb, tally, write_pb  # noqa: E402
from budgets.tally.profile import compile_problem  # noqa: E402
from budgets.tally.rules.mes import START_EXACT, STOP_EXHAUSTIVE, equal_shares  # noqa: E402
from budgets.tally.tiebreak import TieBreaking  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "pabulib"
CHAIN = ("min_cost", "max_votes", "id")


def synthetic_election(voters: int, projects: int = 60, seed: int = 2026) -> Election:
    """A seeded approval election with a realistic skew (see the module docstring)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    costs = [int(round(cost, -2)) for cost in rng.lognormal(mean=math.log(150_000), sigma=0.8, size=projects)]
    costs = [min(max(cost, 10_000), 2_000_000) for cost in costs]
    popularity = 0.93 ** np.arange(projects) * rng.uniform(0.6, 1.4, size=projects)
    # Gumbel top-k: each voter's favourites are drawn without replacement, weighted by popularity.
    keys = np.log(popularity) + rng.gumbel(size=(voters, projects))
    favourites = np.argsort(-keys, axis=1)[:, :5]
    lengths = rng.choice([1, 2, 3, 4, 5], size=voters, p=[0.25, 0.2, 0.2, 0.15, 0.2])
    counts: dict[tuple[int, ...], int] = {}
    for length in range(1, 6):
        chosen = np.sort(favourites[lengths == length, :length], axis=1)
        rows, multiplicities = np.unique(chosen, axis=0, return_counts=True)
        for row, count in zip(rows.tolist(), multiplicities.tolist(), strict=True):
            counts[tuple(row)] = count
    ids = [str(number + 1) for number in range(projects)]
    meta = {
        "description": f"Synthetic approval election, {voters} voters (bench/tally.py, seed {seed})",
        "country": "France",
        "unit": "Synthetic",
        "instance": "2026",
        "num_projects": str(projects),
        "num_votes": str(voters),
        "budget": str(sum(costs) * 3 // 10),
        "vote_type": "approval",
        "rule": "equalshares/add1",
        "date_begin": "2026",
        "date_end": "2026",
    }
    return Election(
        meta=meta,
        projects={pid: Project(id=pid, cost=Fraction(cost)) for pid, cost in zip(ids, costs, strict=True)},
        ballots=[
            Ballot(projects=tuple(ids[index] for index in chosen), multiplicity=count)
            for chosen, count in counts.items()
        ],
    )


# ---- our engine --------------------------------------------------------------------


def ours(election: Election, rule: str) -> tuple[list[str], float, int]:
    """(winners, seconds, MES runs) for one of the rule names of RULES below."""
    started = time.process_time()
    runs = 0
    if rule in ("mes", "mes-add1/pabutools"):
        utility = "points" if election.uses_points else "cost"
        options = MesOptions(utility=utility, start=START_EXACT, add1=rule != "mes", stop=STOP_EXHAUSTIVE)
        ties = TieBreaking(CHAIN).key_function(
            {pid: project.cost for pid, project in election.projects.items()}, election.votes, election.scores
        )
        problem = compile_problem(election, list(election.projects), utility)
        result = equal_shares(problem, options, lambda j: ties(problem.ids[j]))
        winners, runs = [problem.ids[j] for j in result.selected], result.runs
    else:
        outcome = tally(election, rule, tie_breaking=CHAIN)
        winners, runs = list(outcome.selected), outcome.runs
    return sorted(winners), time.process_time() - started, runs


# ---- pabutools (in a child process, killed on timeout) --------------------------------


def _pabutools(path: str, rule: str, queue: multiprocessing.Queue) -> None:
    from budgets.tests.pabutools_bridge import Reference

    started = time.process_time()
    reference = Reference(path)
    # Collapsing the profile (as_multiprofile) counts as tallying; reading the file does not.
    preparation = time.process_time() - started - reference.parse_cpu_seconds
    queue.put(("ready", reference.parse_cpu_seconds))
    started = time.process_time()
    if rule == "greedy":
        winners = reference.greedy(CHAIN)
    elif rule == "mes":
        winners = reference.mes(CHAIN)
    elif rule == "mes-add1/pabutools":
        winners = reference.mes(CHAIN, add1=True)
    else:
        winners = reference.mes_add1_pabulib(CHAIN)
    queue.put((winners, preparation + time.process_time() - started))


def theirs(path: Path, rule: str, timeout: float) -> tuple[list[str] | None, float]:
    """(winners or None on timeout, seconds): pabutools' tally time, reading the file excluded.

    The timeout applies to the tally, after pabutools has read the file.
    """
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue = context.Queue()
    child = context.Process(target=_pabutools, args=(str(path), rule, queue))
    child.start()
    parsing = 0.0
    try:
        _ready, parsing = queue.get(timeout=max(timeout, 600))  # pabutools has read the file
        return queue.get(timeout=timeout)
    except Empty:
        # The CPU time it had spent tallying when it was stopped: a lower bound of its time.
        return None, _cpu_seconds(child.pid) - parsing
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---- the report -----------------------------------------------------------------------


@dataclass
class Row:
    election: str
    rule: str
    ours: float
    runs: int
    theirs: float | None
    timed_out: bool
    same: bool | None


RULES = ("greedy", "mes", "mes-add1/pabutools", "mes-add1")


def bench(name: str, path: Path, rules: tuple[str, ...], timeout: float, with_pabutools: bool) -> list[Row]:
    election = parse_pb(path)
    rows = []
    for rule in rules:
        winners, seconds, runs = ours(election, rule)
        row = Row(name, rule, seconds, runs, None, False, None)
        if with_pabutools:
            reference, their_seconds = theirs(path, rule, timeout)
            row.theirs, row.timed_out = their_seconds, reference is None
            row.same = None if reference is None else reference == winners
        rows.append(row)
        print(f"  {name} {rule}: {_row(row)}", file=sys.stderr)
    return rows


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def _row(row: Row) -> str:
    if row.theirs is None:
        theirs, speedup, same = "not run", "", ""
    elif row.timed_out:
        theirs, speedup, same = f"> {row.theirs:.0f} s", f"> {row.theirs / row.ours:.0f}×", "(no reference)"
    else:
        theirs, speedup = _seconds(row.theirs), f"{row.theirs / row.ours:.0f}×"
        same = "yes" if row.same else "**NO**"
    runs = str(row.runs) if row.runs else ""
    return f"| {row.election} | {row.rule} | {_seconds(row.ours)} | {runs} | {theirs} | {speedup} | {same} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=150_000)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per pabutools tally")
    parser.add_argument("--no-pabutools", action="store_true")
    parser.add_argument("--rules", nargs="+", default=list(RULES), choices=RULES)
    parser.add_argument("--elections", nargs="+", default=["files", "synthetic"], choices=["files", "synthetic"])
    args = parser.parse_args(argv)

    files = sorted(SHARED.glob("*.pb"), key=lambda path: path.stat().st_size)
    if not files:
        parser.error(f"no .pb files in {SHARED}")
    rows: list[Row] = []
    rules = tuple(args.rules)
    with_pabutools = not args.no_pabutools
    krakow = SHARED / "Poland_Krakow_2022_Zwierzyniec.pb"
    if "files" in args.elections:
        rows += bench(files[-1].stem, files[-1], rules, args.timeout, with_pabutools)
        if krakow.exists():
            rows += bench(f"{krakow.stem} (ordinal, points)", krakow, rules, args.timeout, with_pabutools)
    with tempfile.TemporaryDirectory() as folder:
        if "synthetic" in args.elections:
            synthetic = Path(folder) / "synthetic.pb"
            election = synthetic_election(args.voters)
            synthetic.write_text(write_pb(election), encoding="utf-8")
            name = f"synthetic approval, {args.voters:,} ballots ({len(election.ballots):,} distinct), 60 projects"
            rows += bench(name, synthetic, rules, args.timeout, with_pabutools)

    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f}.\n"
    )
    print("| election | rule | ours | MES runs | pabutools | speed-up | same winners |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(_row(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
