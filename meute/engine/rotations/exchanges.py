"""Local improvements of one-to-one rounds: 2-opt exchanges and the fairness pass.

Both work in place on the solver's state: a round's pairs (or the mate
arrays of all rounds) and ``avail``, the matrix of pairs still allowed to meet
(allowed by the rules and not met yet).
"""

from __future__ import annotations

import time

import numpy as np

__all__ = ["fairness_pass", "two_opt"]


def two_opt(pairs: np.ndarray, locked: np.ndarray, Wx: np.ndarray, avail: np.ndarray) -> int:
    """Improving 2-opt exchanges inside one round, applied in place; returns how many.

    Every exchange ``ab, cd -> ac, bd`` (or ``ad, bc``) of the round is scored at
    once with numpy; the best disjoint improving ones are applied together,
    and the round is scored again until nothing improves.

    Notes
    -----
    O(m^2) vectorised per pass for m pairs in the round, at most 30 passes.
    """
    done = 0
    m = len(pairs)
    if m < 2:
        return 0
    for _ in range(30):
        A, B = pairs[:, 0], pairs[:, 1]
        wp = Wx[A, B]
        best_gain = np.full((m, m), -np.inf)
        best_kind = np.zeros((m, m), dtype=np.int8)
        for kind, (X, Y) in enumerate(((A, B), (B, A)), start=1):
            # a_i meets X_j and b_i meets Y_j
            gain = Wx[A[:, None], X[None, :]] + Wx[B[:, None], Y[None, :]] - wp[:, None] - wp[None, :]
            ok = avail[A[:, None], X[None, :]] & avail[B[:, None], Y[None, :]]
            gain = np.where(ok, gain, -np.inf)
            better = gain > best_gain
            best_gain = np.where(better, gain, best_gain)
            best_kind[better] = kind
        best_gain[locked, :] = -np.inf
        best_gain[:, locked] = -np.inf
        i_idx, j_idx = np.nonzero(np.triu(best_gain > 1e-9, 1))
        if len(i_idx) == 0:
            break
        order = np.argsort(-best_gain[i_idx, j_idx], kind="stable")
        touched = np.zeros(m, dtype=bool)
        applied = 0
        for o in order.tolist():
            i, j = int(i_idx[o]), int(j_idx[o])
            if touched[i] or touched[j]:
                continue
            touched[i] = touched[j] = True
            a, b = int(pairs[i, 0]), int(pairs[i, 1])
            c, d = int(pairs[j, 0]), int(pairs[j, 1])
            if best_kind[i, j] == 2:
                c, d = d, c
            avail[a, b] = avail[b, a] = avail[c, d] = avail[d, c] = True
            avail[a, c] = avail[c, a] = avail[b, d] = avail[d, b] = False
            pairs[i] = (a, c)
            pairs[j] = (b, d)
            applied += 1
        done += applied
        if not applied:
            break
    return done


def fairness_pass(
    mates: np.ndarray,
    locked: set[tuple[int, int]],
    W: np.ndarray,
    avail: np.ndarray,
    util: np.ndarray,
    own: np.ndarray,
    budget: float,
    deadline: float | None,
) -> tuple[int, float]:
    """Raise the worst share by 2-opt exchanges that involve the worst-served person.

    Repeatedly: take the person u with the lowest share; among all exchanges
    ``ua, cd -> uc, ad`` in any round, keep those after which all four people
    are better off than u was (so the minimum rises), and apply the one that
    lifts the minimum most, the cheapest first among equals; stop when no
    exchange helps u or the total relevance spent would exceed ``budget``.
    Returns (exchanges, relevance spent).

    Notes
    -----
    Each step is O(R n) vectorised; at most a few steps per person.
    """
    size = len(util)
    R = len(mates)
    inv = np.where(own > 0, 1.0 / np.where(own > 0, own, 1.0), 0.0)
    share = np.where(own > 0, util * inv, np.inf)
    spent = 0.0
    steps = 0
    stuck: set[int] = set()
    cost_unit = max(1.0, float(np.median(own[own > 0])) / 100) if (own > 0).any() else 1.0
    for _ in range(20 * size):
        if deadline is not None and time.perf_counter() > deadline:
            break
        order = np.argsort(share)
        u = -1
        for cand in order[:2].tolist():
            if cand not in stuck:
                u = cand
                break
        if u < 0 or not np.isfinite(share[u]):
            break
        second = float(share[order[1]]) if size > 1 else np.inf
        best: tuple[float, float, int, int, int] | None = None
        for r in range(R):
            a = int(mates[r][u])
            if a < 0 or (min(u, a), max(u, a)) in locked:
                continue
            m_r = mates[r]
            c = np.flatnonzero((m_r >= 0) & (np.arange(size) != u) & (np.arange(size) != a))
            d = m_r[c]
            ok = avail[u, c] & avail[a, d]
            if not ok.any():
                continue
            c, d = c[ok], d[ok]
            if locked:
                keep = np.array(
                    [
                        (min(x, y), max(x, y)) not in locked
                        for x, y in zip(c.tolist(), d.tolist(), strict=False)
                    ]
                )
                c, d = c[keep], d[keep]
                if len(c) == 0:
                    continue
            w_ua, w_cd = W[u, a], W[c, d]
            su = share[u] + (W[u, c] - w_ua) * inv[u]
            sa = np.where(own[a] > 0, share[a] + (W[a, d] - w_ua) * inv[a], np.inf)
            sc = np.where(own[c] > 0, share[c] + (W[u, c] - w_cd) * inv[c], np.inf)
            sd = np.where(own[d] > 0, share[d] + (W[a, d] - w_cd) * inv[d], np.inf)
            new_min = np.minimum(np.minimum(su, sa), np.minimum(sc, sd))
            delta = W[u, c] + W[a, d] - w_ua - w_cd
            good = (new_min > share[u] + 1e-9) & (spent - delta <= budget)
            if not good.any():
                continue
            # the most lift of the minimum per unit of relevance spent
            lifted = np.minimum(new_min, second + 1e-3) - share[u]
            score = np.where(good, lifted / (np.maximum(-delta, 0.0) + cost_unit), -np.inf)
            k = int(np.argmax(score))
            cand = (float(score[k]), float(delta[k]), r, int(c[k]), int(d[k]))
            if best is None or cand[:2] > best[:2]:
                best = cand
        if best is None:
            stuck.add(u)
            if len(stuck) >= 1 and u == int(order[0]):
                break
            continue
        _, delta_best, r, c_, d_ = best
        a_ = int(mates[r][u])
        for x, y, sign in ((u, a_, -1), (c_, d_, -1), (u, c_, 1), (a_, d_, 1)):
            util[x] += sign * W[x, y]
            util[y] += sign * W[x, y]
            avail[x, y] = avail[y, x] = sign < 0
        mates[r][u], mates[r][c_] = c_, u
        mates[r][a_], mates[r][d_] = d_, a_
        for x in (u, a_, c_, d_):
            share[x] = util[x] * inv[x] if own[x] > 0 else np.inf
        spent -= delta_best
        steps += 1
    return steps, spent
