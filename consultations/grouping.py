"""Opinion groups of an opinion map, in the manner of Pol.is (compdemocracy/polis `math/`).

Pure numpy on the participant × statement vote matrix (agree 1, disagree −1, pass 0,
not seen: missing):

1. Who is grouped: participants who voted on at least 7 statements (all of them when
   there are fewer than 7).
2. PCA to two dimensions: missing votes are filled with the statement's mean vote, the
   columns centred, and the two main eigenvectors of their covariance taken; each participant's
   coordinates are scaled by √(statements / their votes), which, as in Pol.is, keeps
   people who voted little from all piling up in the middle.
3. k-means for k from 2 to 5 (at most participants − 1), k-means++ seeding with a fixed
   seed and several restarts, and the k with the best mean silhouette is kept.
4. For each group, the statements that distinguish it: the Laplace-smoothed share of the
   group that agrees (or disagrees), (1 + n) / (2 + seen), compared with everyone else by
   a two-proportion z-test at 90 %; ranked by the ratio times the share.
5. Group-informed consensus: for each statement, the product over groups of each group's
   smoothed agree share; the consensus statements are those every group supports (each
   group's share above one half), best first.

Everything is deterministic for the same votes (fixed seeds), so a page does not change
when nothing did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

MIN_VOTES = 7
MAX_GROUPS = 5
MIN_PARTICIPANTS = 4
RESTARTS = 4
MAX_ITERATIONS = 100
POWER_ITERATIONS = 500
Z_90 = 1.2816  # one-sided 90 %
TOP_REPRESENTATIVE = 5
TOP_CONSENSUS = 5


@dataclass
class Representative:
    statement: int  # statement id
    direction: str  # "agree" or "disagree"
    share: float  # smoothed share of the group, 0-1
    others: float  # same share among everyone else
    ratio: float


@dataclass
class Group:
    index: int
    size: int
    centre: tuple[float, float]
    representative: list[Representative] = field(default_factory=list)


@dataclass
class Grouping:
    participants: list[int]  # participant ids, in the order of `points`
    points: np.ndarray  # (n, 2), scaled to [0, 1]
    labels: np.ndarray  # (n,)
    k: int
    silhouette: float
    groups: list[Group]
    consensus: list[tuple[int, float, list[float]]]  # (statement id, score, agree share per group)
    votes: int


def vote_matrix(
    votes: np.ndarray, participants: np.ndarray, statements: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A dense matrix (NaN = not voted) from (participant, statement, value) rows."""
    person_ids, person_index = np.unique(participants, return_inverse=True)
    statement_ids, statement_index = np.unique(statements, return_inverse=True)
    matrix = np.full((len(person_ids), len(statement_ids)), np.nan)
    matrix[person_index, statement_index] = votes
    return matrix, person_ids, statement_ids


def _top_components(covariance: np.ndarray, count: int) -> np.ndarray:
    """The `count` main eigenvectors of a (statements × statements) covariance, by power
    iteration with deflation, as Pol.is does. A full eigendecomposition gives the same
    axes but starts LAPACK's threads, which fight over the cores of a busy worker."""
    size = covariance.shape[0]
    matrix = covariance.copy()
    components = np.zeros((count, size))
    start = np.random.default_rng(11).standard_normal(size)
    for index in range(count):
        vector = start / np.linalg.norm(start)
        for _iteration in range(POWER_ITERATIONS):
            product = matrix @ vector
            norm = np.linalg.norm(product)
            if norm == 0:
                break
            product /= norm
            if np.abs(product - vector).max() < 1e-9:
                vector = product
                break
            vector = product
        components[index] = vector
        matrix = matrix - (vector @ matrix @ vector) * np.outer(vector, vector)
    return components


def _pca(matrix: np.ndarray) -> np.ndarray:
    voted = ~np.isnan(matrix)
    counts = voted.sum(axis=0)
    means = np.where(counts > 0, np.nansum(matrix, axis=0) / np.maximum(counts, 1), 0.0)
    filled = np.where(voted, matrix, means)
    centred = filled - means
    components = _top_components(centred.T @ centred, 2)
    coordinates = centred @ components.T
    if coordinates.shape[1] < 2:
        coordinates = np.hstack([coordinates, np.zeros((len(coordinates), 2 - coordinates.shape[1]))])
    # Fix the sign of each axis (SVD signs are arbitrary) so that maps are stable.
    for axis in range(2):
        if coordinates[np.argmax(np.abs(coordinates[:, axis])), axis] < 0:
            coordinates[:, axis] *= -1
    per_person = voted.sum(axis=1)
    scale = np.sqrt(matrix.shape[1] / np.maximum(per_person, 1))
    return coordinates * scale[:, None]


def _kmeans(points: np.ndarray, k: int, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    best_labels, best_inertia = None, math.inf
    for _restart in range(RESTARTS):
        centres = [points[rng.integers(len(points))]]
        for _n in range(1, k):
            distances = np.min(((points[:, None, :] - np.array(centres)[None]) ** 2).sum(axis=2), axis=1)
            total = distances.sum()
            probabilities = distances / total if total > 0 else np.full(len(points), 1 / len(points))
            centres.append(points[rng.choice(len(points), p=probabilities)])
        centres = np.array(centres)
        labels = np.zeros(len(points), dtype=int)
        for _iteration in range(MAX_ITERATIONS):
            distances = ((points[:, None, :] - centres[None]) ** 2).sum(axis=2)
            new_labels = distances.argmin(axis=1)
            if _iteration and np.array_equal(new_labels, labels):
                break
            labels = new_labels
            for index in range(k):
                members = points[labels == index]
                if len(members):
                    centres[index] = members.mean(axis=0)
        inertia = float(((points - centres[labels]) ** 2).sum())
        if inertia < best_inertia:
            best_labels, best_inertia = labels, inertia
    return best_labels, best_inertia


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette from a precomputed distance matrix (0 when a group is a singleton)."""
    k = labels.max() + 1
    sizes = np.bincount(labels, minlength=k)
    if (sizes == 0).any() or k < 2:
        return -1.0
    # Sum of distances from each point to each group.
    sums = np.stack([distances[:, labels == group].sum(axis=1) for group in range(k)], axis=1)
    own = sums[np.arange(len(labels)), labels]
    a = np.where(sizes[labels] > 1, own / np.maximum(sizes[labels] - 1, 1), 0.0)
    means = sums / sizes[None, :]
    means[np.arange(len(labels)), labels] = np.inf
    b = means.min(axis=1)
    s = np.where(sizes[labels] > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def _z_two_proportions(success_1: float, n_1: float, success_2: float, n_2: float) -> float:
    p1, p2 = (success_1 + 1) / (n_1 + 2), (success_2 + 1) / (n_2 + 2)
    pooled = (success_1 + success_2 + 1) / (n_1 + n_2 + 2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / (n_1 + 1) + 1 / (n_2 + 1)))
    return (p1 - p2) / spread if spread > 0 else 0.0


def group_participants(matrix: np.ndarray, person_ids: np.ndarray, statement_ids: np.ndarray) -> Grouping | None:
    """Group the participants of a vote matrix; None when too few have voted enough."""
    voted = ~np.isnan(matrix)
    needed = min(MIN_VOTES, matrix.shape[1])
    keep = voted.sum(axis=1) >= needed
    if keep.sum() < MIN_PARTICIPANTS or matrix.shape[1] < 2:
        return None
    matrix, person_ids, voted = matrix[keep], person_ids[keep], voted[keep]
    points = _pca(matrix)
    # Elementwise on purpose: a BLAS product here is no faster for two columns, and BLAS
    # threads fight over the cores of a busy worker.
    x, y = points[:, 0], points[:, 1]
    distances = np.sqrt((x[:, None] - x[None, :]) ** 2 + (y[:, None] - y[None, :]) ** 2)
    rng = np.random.default_rng(7)
    best = None
    for k in range(2, min(MAX_GROUPS, len(points) - 1) + 1):
        labels, _inertia = _kmeans(points, k, rng)
        score = silhouette(distances, labels)
        if best is None or score > best[1] + 1e-9:
            best = (labels, score, k)
    labels, score, k = best
    # Number the groups by size, largest first, so "group A" is stable and meaningful.
    order = np.argsort(-np.bincount(labels, minlength=k), kind="stable")
    labels = np.argsort(order)[labels]

    agree = np.where(voted, matrix == 1, False)
    disagree = np.where(voted, matrix == -1, False)
    groups, agree_shares = [], []
    for index in range(k):
        members = labels == index
        seen_in, seen_out = voted[members].sum(axis=0), voted[~members].sum(axis=0)
        agree_in, agree_out = agree[members].sum(axis=0), agree[~members].sum(axis=0)
        disagree_in, disagree_out = disagree[members].sum(axis=0), disagree[~members].sum(axis=0)
        agree_shares.append((agree_in + 1) / (seen_in + 2))
        candidates = []
        for column in range(matrix.shape[1]):
            for direction, inside, outside in (
                ("agree", agree_in[column], agree_out[column]),
                ("disagree", disagree_in[column], disagree_out[column]),
            ):
                share = (inside + 1) / (seen_in[column] + 2)
                others = (outside + 1) / (seen_out[column] + 2)
                z = _z_two_proportions(inside, seen_in[column], outside, seen_out[column])
                if share > 0.5 and z > Z_90:
                    candidates.append(
                        Representative(
                            statement=int(statement_ids[column]),
                            direction=direction,
                            share=round(float(share), 3),
                            others=round(float(others), 3),
                            ratio=round(float(share / others), 3),
                        )
                    )
        candidates.sort(key=lambda item: -(item.ratio * item.share))
        centre = points[members].mean(axis=0)
        groups.append(
            Group(
                index=index,
                size=int(members.sum()),
                centre=(float(centre[0]), float(centre[1])),
                representative=candidates[:TOP_REPRESENTATIVE],
            )
        )
    shares = np.array(agree_shares)  # (k, statements)
    scores = shares.prod(axis=0)
    supported = (shares > 0.5).all(axis=0)
    consensus = [
        (int(statement_ids[column]), round(float(scores[column]), 4), [round(float(v), 3) for v in shares[:, column]])
        for column in np.argsort(-scores, kind="stable")
        if supported[column]
    ][:TOP_CONSENSUS]
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    scaled = (points - low) / span
    for group in groups:
        group.centre = tuple(round(float(v), 4) for v in (np.array(group.centre) - low) / span)
    return Grouping(
        participants=[int(p) for p in person_ids],
        points=scaled,
        labels=labels,
        k=k,
        silhouette=round(score, 4),
        groups=groups,
        consensus=consensus,
        votes=int(voted.sum()),
    )
