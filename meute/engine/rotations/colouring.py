"""Rounds of one-to-one meetings as an edge colouring, and the seats left free in a round.

The one-to-one solver (:mod:`meute.engine.rotations.one_to_one`) colours the
pairs it chose into rounds (one colour per round, Kempe-chain swaps when two
ends have no colour in common) and pairs the people a round leaves free with
:func:`fill_round`, which the re-planner (:mod:`meute.engine.rotations.replan`)
reuses for the people an absence frees.

A round is a *mate array*: ``mate_r[v]`` is v's partner in that round, or -1.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Colouring", "colour_and_fill", "fill_round", "round_pairs"]


class Colouring:
    """Rounds as colours of an edge colouring: ``mate[r][v]`` is v's partner in round r or -1.

    Plain Python lists on purpose: the Kempe chains walk one vertex at a time,
    where numpy's per-element access would cost ten times more.
    """

    def __init__(self, size: int, rounds: int) -> None:
        self.R = rounds
        self.mate = [[-1] * size for _ in range(rounds)]
        self.count = [0] * size

    def assign(self, r: int, u: int, v: int) -> None:
        self.mate[r][u] = v
        self.mate[r][v] = u
        self.count[u] += 1
        self.count[v] += 1

    def _path(self, start: int, first: int, second: int, limit: int) -> list[int] | None:
        """The maximal path from `start` alternating colours first, second, ..."""
        path = [start]
        colours = (first, second)
        v, step = start, 0
        while True:
            nxt = self.mate[colours[step & 1]][v]
            if nxt < 0:
                return path
            path.append(nxt)
            v = nxt
            step += 1
            if step > limit:
                return None

    def _flip(self, path: list[int], first: int, second: int) -> None:
        colours = (first, second)
        for s in range(len(path) - 1):
            c = colours[s & 1]
            self.mate[c][path[s]] = -1
            self.mate[c][path[s + 1]] = -1
        for s in range(len(path) - 1):
            c = colours[(s + 1) & 1]
            self.mate[c][path[s]] = path[s + 1]
            self.mate[c][path[s + 1]] = path[s]

    def place(self, u: int, v: int, limit: int) -> bool:
        """Give edge uv a round, moving others along a Kempe chain if needed."""
        R = self.R
        if self.count[u] >= R or self.count[v] >= R:
            return False
        mate = self.mate
        free_u = [r for r in range(R) if mate[r][u] < 0]
        free_v = [r for r in range(R) if mate[r][v] < 0]
        common = set(free_u).intersection(free_v)
        if common:
            self.assign(min(common), u, v)
            return True
        if limit <= 0:
            return False
        for alpha in free_u:
            for beta in free_v:
                # v has an alpha edge: flip the alpha/beta chain from v so alpha frees at v.
                path = self._path(v, alpha, beta, limit)
                if path is not None and path[-1] != u:
                    self._flip(path, alpha, beta)
                    self.assign(alpha, u, v)
                    return True
                path = self._path(u, beta, alpha, limit)
                if path is not None and path[-1] != v:
                    self._flip(path, beta, alpha)
                    self.assign(beta, u, v)
                    return True
        return False


def colour_and_fill(
    size: int,
    R: int,
    dummy: int,
    rest_order: list[int],
    a: np.ndarray,
    b: np.ndarray,
    x: np.ndarray,
    order: np.ndarray,
    Wx: np.ndarray,
    base: np.ndarray,
    limit: int,
    rng: np.random.Generator,
    locked: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Edge-colour the candidate pairs in `order`, then fill each round; (mates, avail, unplaced, repeats).

    Notes
    -----
    O(m R) for m pairs, plus the Kempe chains (at most ``limit`` steps each),
    plus :func:`fill_round` in each round. ``locked`` (a boolean matrix) marks
    the pairs the filler must not break up (requested pairs).
    """
    col = Colouring(size, R)
    for r, x_rest in enumerate(rest_order):
        col.assign(r, dummy, x_rest)
    chosen = x[order] > 1e-6
    unplaced = 0
    for e, in_lp in zip(order.tolist(), chosen.tolist(), strict=True):
        if not col.place(int(a[e]), int(b[e]), limit=limit if in_lp else 8) and in_lp:
            unplaced += 1
    avail = base.copy()
    mates = np.array(col.mate, dtype=np.int64)
    for r in range(R):
        idx = np.flatnonzero(mates[r] >= 0)
        avail[idx, mates[r][idx]] = False
    repeats = 0
    for r in range(R):
        repeats += fill_round(mates[r], Wx, avail, base, dummy, rng, locked)
    return mates, avail, unplaced, repeats


def round_pairs(mate_r: np.ndarray) -> np.ndarray:
    """``(p, q)`` rows, ``p < q``, of the pairs of one round's mate array, in O(n)."""
    idx = np.flatnonzero(mate_r > np.arange(len(mate_r)))
    return np.column_stack([idx, mate_r[idx]]).astype(np.int64)


def fill_round(
    mate_r: np.ndarray,
    Wx: np.ndarray,
    avail: np.ndarray,
    base: np.ndarray,
    dummy: int,
    rng: np.random.Generator,
    locked: np.ndarray | None = None,
) -> int:
    """Pair the people left free in one round: greedy by weight among unmet allowed
    pairs, then one exchange with a seated pair for whoever is left.

    A pair already met elsewhere is used only if nothing else works (a repeat
    beats sitting idle when the rounds outnumber the possible partners).
    Works in place on ``mate_r`` and ``avail``; returns the repeats it made.
    A seated pair marked in ``locked`` (a boolean matrix) is never broken up
    by the exchange.

    Notes
    -----
    O(f^2 log f) for f free people (the greedy), plus O(n) per exchange.
    """
    free = np.flatnonzero(mate_r < 0)
    if len(free) < 2:
        return 0
    repeats = 0
    sub_ok = avail[np.ix_(free, free)]
    sub_w = Wx[np.ix_(free, free)] + rng.random((len(free), len(free))) * 1e-6
    if dummy >= 0:
        # resting is the last resort: the dummy pairs after every real pair
        is_d = free == dummy
        sub_w[is_d, :] = -1.0
        sub_w[:, is_d] = -1.0
    iu, ju = np.nonzero(np.triu(sub_ok, 1))
    for o in np.argsort(-sub_w[iu, ju], kind="stable"):
        u, v = int(free[iu[o]]), int(free[ju[o]])
        if mate_r[u] < 0 and mate_r[v] < 0:
            mate_r[u], mate_r[v] = v, u
            avail[u, v] = avail[v, u] = False
    left = [int(v) for v in free if mate_r[v] < 0]
    while len(left) >= 2:
        u = left.pop()
        placed = False
        for v in list(left):
            # swap with a seated pair (p, q): u-p and v-q, both unmet and allowed
            seated = np.flatnonzero((mate_r >= 0) & (mate_r > np.arange(len(mate_r))))
            if len(seated) == 0:
                break
            p, q = seated, mate_r[seated]
            for x1, x2 in ((p, q), (q, p)):
                ok = avail[u, x1] & avail[v, x2]
                if locked is not None:
                    ok &= ~locked[x1, x2]
                if ok.any():
                    gain = np.where(ok, Wx[u, x1] + Wx[v, x2] - Wx[x1, x2], -np.inf)
                    s = int(np.argmax(gain))
                    y1, y2 = int(x1[s]), int(x2[s])
                    avail[y1, y2] = avail[y2, y1] = True
                    mate_r[u], mate_r[y1] = y1, u
                    mate_r[v], mate_r[y2] = y2, v
                    avail[u, y1] = avail[y1, u] = avail[v, y2] = avail[y2, v] = False
                    left.remove(v)
                    placed = True
                    break
            if placed:
                break
        if not placed:
            # nothing unmet works: a repeat (still no colleague, no forbidden pair)
            for v in list(left):
                if base[u, v] and dummy not in (u, v):
                    mate_r[u], mate_r[v] = v, u
                    left.remove(v)
                    repeats += 1
                    break
    return repeats
