"""The tabu search of the tables solver (:mod:`meute.engine.rotations.tables`).

It walks over seatings with two moves, each scored for all candidates at once
with numpy: swap two people between tables in one round, and exchange two
people's labels in *every* round (which keeps a design's repeat-free structure
and only changes who sits where).
"""

from __future__ import annotations

import math
import random
import time

import numpy as np

__all__ = ["TableSearch"]


class TableSearch:
    """Tabu search over seatings; all costs in float64 (exact for integer weights below 2^53).

    State: ``seat[r, p]`` the table of p in round r (``m`` = resting), ``C`` the
    count matrix of meetings, ``rests[p]`` rounds p rested.
    """

    def __init__(
        self,
        W: np.ndarray,
        bad: np.ndarray,
        req: np.ndarray,
        R: int,
        k: int,
        m: int,
        sizes: list[int],
        rest: int,
        rng: random.Random,
    ) -> None:
        n = W.shape[0]
        self.n, self.R, self.k, self.m, self.sizes, self.rest = n, R, k, m, sizes, rest
        self.rng = random.Random(rng.random())
        self.nprng = np.random.default_rng(rng.randrange(2**32))
        # Lexicographic priorities as penalties, each level above everything the
        # levels below can ever add up to (not just what one move changes: the
        # best plan kept is compared on totals): one repeat outweighs all
        # requests and all relevance, one request outweighs all relevance.
        # Conflicts only need to outweigh what one move can change in repeats,
        # since the final repair removes any that is left.
        total_w = float(np.triu(W, 1).clip(min=0).sum()) if n else 0.0
        n_req = float(np.triu(req, 1).sum())
        self.breq = total_w + 1.0
        self.Wp = W.astype(np.float64) + self.breq * req
        self.mrep = self.breq * (n_req + 1.0)
        self.mrest = self.mrep
        self.mconf = self.mrep * (4.0 * k * R + 1.0)
        self.Bad = bad.astype(np.float64)
        self.MBad = self.mconf * self.Bad
        self.seat = np.full((R, n), m, dtype=np.int64)
        self.C = np.zeros((n, n), dtype=np.float64)
        self.rests = np.zeros(n, dtype=np.float64)
        # Tuning (measured on 30 people at 6 tables of 5, 4 rounds): tabu tenure
        # (0: from n), one unfocused iteration in `unfocus`, and a kick of
        # `kick_size` random swaps from the best plan after `kick` idle iterations.
        self.tenure = 0
        self.unfocus = 4
        self.kick = 100
        self.kick_size = 2
        self.label_every = 1

    # -- bookkeeping -------------------------------------------------------
    def tables_of(self, r: int) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in range(self.m)]
        for p, t in enumerate(self.seat[r].tolist()):
            if t < self.m:
                out[t].append(p)
        return out

    def recount(self) -> None:
        n = self.n
        self.C = np.zeros((n, n), dtype=np.float64)
        self.rests = (self.seat == self.m).sum(axis=0).astype(np.float64)
        for r in range(self.R):
            T = self._onehot(r)
            self.C += T @ T.T
        np.fill_diagonal(self.C, 0.0)

    def _onehot(self, r: int) -> np.ndarray:
        """``(n, m)`` membership of the seated people in round r (resting rows are zero)."""
        T = np.zeros((self.n, self.m + 1), dtype=np.float64)
        T[np.arange(self.n), self.seat[r]] = 1.0
        return T[:, : self.m]

    def cost(self) -> float:
        C = self.C
        pair = self.MBad * C + self.mrep * np.maximum(C - 1.0, 0.0) - self.Wp * (C >= 1)
        return float(np.triu(pair, 1).sum() + self.mrest * (self.rests**2).sum())

    # -- construction ------------------------------------------------------
    def greedy_round(self, r: int) -> None:
        """Seat round r greedily: hardest people first, each at the free table costing least."""
        n, m = self.n, self.m
        seat = np.full(n, m, dtype=np.int64)
        order = list(range(n))
        self.rng.shuffle(order)
        if self.rest:
            # Rest those who rested least, among the most constrained (big companies first).
            deg = self.Bad.sum(axis=1)
            by_rest = sorted(order, key=lambda p: (self.rests[p], -deg[p]))
            resting = set(by_rest[: self.rest])
        else:
            resting = set()
        deg = self.Bad.sum(axis=1)
        order = sorted((p for p in order if p not in resting), key=lambda p: -deg[p])
        free = list(self.sizes)
        members: list[list[int]] = [[] for _ in range(m)]
        add = self.MBad + self.mrep * (self.C >= 1) - self.Wp * (self.C == 0)
        for p in order:
            best_t, best_v = -1, math.inf
            for t in range(m):
                if free[t] == 0:
                    continue
                v = float(add[p, members[t]].sum()) + self.rng.random() * 1e-3
                if v < best_v:
                    best_t, best_v = t, v
            seat[p] = best_t
            free[best_t] -= 1
            members[best_t].append(p)
        self.seat[r] = seat
        T = self._onehot(r)
        self.C += T @ T.T
        np.fill_diagonal(self.C, 0.0)
        for p in resting:
            self.rests[p] += 1

    def set_round(self, r: int, tables: list[list[int]], label: list[int]) -> None:
        seat = np.full(self.n, self.m, dtype=np.int64)
        for t, table in enumerate(tables):
            for point in table:
                seat[label[point]] = t
        self.seat[r] = seat
        T = self._onehot(r)
        self.C += T @ T.T
        np.fill_diagonal(self.C, 0.0)

    # -- moves -------------------------------------------------------------
    def _round_deltas(self, r: int) -> np.ndarray:
        """``D[p, q]``: cost change of swapping p and q's seats in round r (inf if same table)."""
        C, m = self.C, self.m
        tab = self.seat[r]
        seated = tab < m
        add = self.MBad + self.mrep * (C >= 1) - self.Wp * (C == 0)
        rem = -self.MBad - self.mrep * (C >= 2) + self.Wp * (C == 1)
        np.fill_diagonal(add, 0.0)
        same = (tab[:, None] == tab[None, :]) & seated[:, None]
        rem_own = (rem * same).sum(axis=1)  # what p's current tablemates stop costing
        T = self._onehot(r)
        add_t = add @ T  # (n, m): cost of joining each table
        add_t = np.concatenate([add_t, np.zeros((self.n, 1))], axis=1)  # resting costs nothing
        add_x = add_t[:, tab] - add * seated[None, :]  # p joins q's table, without q
        D = rem_own[:, None] + rem_own[None, :] + add_x + add_x.T
        if self.rest:
            rp = self.mrest * (2.0 * self.rests + 1.0)  # cost of one more rest
            lp = -self.mrest * (2.0 * self.rests - 1.0)  # cost of one rest less
            resting = ~seated
            D += np.where(resting[:, None] & seated[None, :], lp[:, None] + rp[None, :], 0.0)
            D += np.where(seated[:, None] & resting[None, :], rp[:, None] + lp[None, :], 0.0)
        D[tab[:, None] == tab[None, :]] = np.inf
        return D

    def _label_deltas(self) -> np.ndarray:
        """``D[p, q]``: cost change of exchanging p and q in every round.

        The repeat term only depends on the multiset of counts, which the
        exchange preserves, so only conflicts and relevance move.
        """

        def f(A: np.ndarray, B: np.ndarray) -> np.ndarray:
            AB = A @ B
            s = (A * B).sum(axis=1)
            return AB + AB.T - s[:, None] - s[None, :] + 2.0 * A * B

        met = (self.C >= 1).astype(np.float64)
        D = self.mconf * f(self.Bad, self.C) - f(self.Wp, met)
        np.fill_diagonal(D, np.inf)
        return D

    def apply_round_swap(self, r: int, p: int, q: int) -> None:
        tab = self.seat[r]
        a, b = int(tab[p]), int(tab[q])
        if a < self.m:
            mates = np.flatnonzero(tab == a)
            mates = mates[mates != p]
            self.C[p, mates] -= 1
            self.C[mates, p] -= 1
            self.C[q, mates] += 1
            self.C[mates, q] += 1
        else:
            self.rests[p] -= 1
            self.rests[q] += 1
        if b < self.m:
            mates = np.flatnonzero(tab == b)
            mates = mates[mates != q]
            self.C[q, mates] -= 1
            self.C[mates, q] -= 1
            self.C[p, mates] += 1
            self.C[mates, p] += 1
        else:
            self.rests[q] -= 1
            self.rests[p] += 1
        tab[p], tab[q] = b, a

    def apply_label_swap(self, p: int, q: int) -> None:
        idx = np.arange(self.n)
        idx[p], idx[q] = q, p
        self.C = self.C[np.ix_(idx, idx)]
        self.seat[:, [p, q]] = self.seat[:, [q, p]]
        self.rests[[p, q]] = self.rests[[q, p]]

    # -- tabu loop ---------------------------------------------------------
    def run(self, max_iters: int, stall: int, deadline: float | None, until_clean: bool = False) -> int:
        """Tabu search; keeps the best state seen. Stops on budget, stall or deadline,
        or (``until_clean``) as soon as no repeat nor conflict is left. Returns the
        iterations used."""
        n, R = self.n, self.R
        if n < 2 or self.m == 0:
            return 0
        cur = self.cost()
        best = cur
        best_state = (self.seat.copy(), self.C.copy(), self.rests.copy())
        tabu_seat = np.zeros((R, n), dtype=np.int64)
        tabu_label = np.zeros(n, dtype=np.int64)
        tenure = self.tenure if self.tenure else 6 + min(n, 200) // 50
        since = 0
        # One round scored per iteration, cycling in a shuffled order, plus the
        # exchange move: each costs one (n, n) matrix, which keeps an iteration
        # near a millisecond at n = 120.
        order = list(range(R))
        use_labels = n <= 400
        it = 0
        for it in range(1, max_iters + 1):
            if deadline is not None and time.perf_counter() > deadline:
                break
            # Violations (a repeat or a conflict) first: on three iterations out of
            # four, only moves that take someone out of a violating pair are
            # scored, in a round that has one — otherwise relevance moves far
            # away would always look better than the plateau moves that lead to
            # a repeat-free plan.
            hot_pairs = (self.C >= 2) | (self.Bad.astype(bool) & (self.C >= 1))
            if until_clean and not hot_pairs.any():
                break
            focus = bool(hot_pairs.any()) and it % self.unfocus != 0
            if focus:
                # Score two rounds that hold a violation: the
                # best way out is often in another round than a random one.
                hot_rounds = [
                    q_r
                    for q_r in range(R)
                    if (
                        hot_pairs
                        & (self.seat[q_r][:, None] == self.seat[q_r][None, :])
                        & (self.seat[q_r] < self.m)[:, None]
                    ).any()
                ]
                rounds_now = self.rng.sample(hot_rounds, min(2, len(hot_rounds))) or [order[(it - 1) % R]]
            else:
                if (it - 1) % R == 0:
                    self.rng.shuffle(order)
                rounds_now = [order[(it - 1) % R]]
            noise = self.nprng.random((n, n)) * 0.5  # random tie-breaks among equal deltas
            candidates: list[tuple[float, float, str, int, int, int]] = []
            jobs: list[tuple[str, int]] = [("round", r_) for r_ in rounds_now]
            # Exchanges cost O(n^3), as much as several swaps: scored every
            # `label_every` iterations, and always while a conflict is left
            # (they are what separates colleagues inside a design).
            conflicted = bool((self.Bad.astype(bool) & (self.C >= 1)).any())
            if use_labels and (conflicted or it % self.label_every == 0):
                jobs.append(("label", -1))
            for kind, r in jobs:
                if kind == "round":
                    D = self._round_deltas(r)
                    tabu = tabu_seat[r]
                    if focus:
                        tab = self.seat[r]
                        together = (tab[:, None] == tab[None, :]) & (tab < self.m)[:, None]
                        hot = (hot_pairs & together).any(axis=1)
                else:
                    D = self._label_deltas()
                    tabu = tabu_label
                    if focus:
                        hot = hot_pairs.any(axis=1)
                noisy = D + noise
                if focus:
                    noisy[~(hot[:, None] | hot[None, :])] = np.inf
                blocked = (tabu[:, None] > it) | (tabu[None, :] > it)
                allowed = noisy.copy()
                allowed[blocked & (cur + D >= best - 0.5)] = np.inf  # aspiration: a new best is never tabu
                # When every focused move is tabu, the oldest rule wins: take the
                # best one anyway rather than stop or wander off the violations.
                noisy = allowed if np.isfinite(allowed).any() else noisy
                flat = int(np.argmin(noisy))
                p, q = divmod(flat, n)
                if math.isfinite(noisy[p, q]):
                    candidates.append((float(noisy[p, q]), float(D[p, q]), kind, r, p, q))
            if not candidates:
                break
            _, delta, kind, r, p, q = min(candidates)
            if kind == "round":
                self.apply_round_swap(r, p, q)
                tabu_seat[r, p] = it + self.rng.randint(tenure // 2, tenure + tenure // 2)
                tabu_seat[r, q] = it + self.rng.randint(tenure // 2, tenure + tenure // 2)
            else:
                self.apply_label_swap(p, q)
                tabu_label[p] = it + self.rng.randint(tenure // 2, tenure + tenure // 2)
                tabu_label[q] = it + self.rng.randint(tenure // 2, tenure + tenure // 2)
            cur += delta
            if cur < best - 0.5:
                best, since = cur, 0
                best_state = (self.seat.copy(), self.C.copy(), self.rests.copy())
            else:
                since += 1
                if since >= stall:
                    break
                if since % self.kick == 0:
                    # Stuck on a plateau: back to the best plan, a few random
                    # swaps, and search on from there (iterated tabu search).
                    self.seat = best_state[0].copy()
                    self.C = best_state[1].copy()
                    self.rests = best_state[2].copy()
                    for _ in range(self.kick_size + since // self.kick - 1):  # growing kicks
                        r_ = self.rng.randrange(R)
                        p_, q_ = self.rng.sample(range(n), 2)
                        if self.seat[r_, p_] != self.seat[r_, q_]:
                            self.apply_round_swap(r_, p_, q_)
                    cur = self.cost()
        self.seat, self.C, self.rests = best_state
        return it
