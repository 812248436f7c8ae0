"""Tables of k: seat everyone at tables of up to ``table_size`` for several rounds.

The rules, in order of priority:

1. hard: nobody at two tables in a round, tables of 2 to k people, never two
   colleagues (same company) nor a forbidden pair at one table, everyone seated
   whenever seating is possible, table sizes as equal as possible;
2. no two people meet twice, whenever that is possible (the *social golfer
   problem*); beyond the proven limit, as few repeated meetings as possible;
3. requested pairs share a table at least once;
4. relevance: the sum of the weights of the distinct pairs that shared a table.

How: a combinatorial design when one is known for the shape of the room (affine
geometries over finite fields, nets from Latin squares, a resolvable packing of
32 people at tables of 4 over 10 rounds developed from ten base blocks), greedy
rounds for the rest, then a tabu search mixing two moves — swap two people
between tables in one round, and exchange two people in *every* round (which
keeps the design's repeat-free structure and only changes who sits where).
See docs/algorithms/tables.md.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from meute.engine.errors import EngineInputError
from meute.engine.notes import Note

try:  # installed with scikit-learn; optional here
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None

Rounds = list[list[list[int]]]

#: Multiply-adds of the default (deterministic) search budget: about a second of one
#: core at n = 120 (2,000 iterations; more time buys little: +1 % relevance for 2x).
_WORK = 1.6e9


class TablesInput(Protocol):
    """What :func:`solve_tables` reads (a :class:`meute.engine.pairing.PairingInstance` fits)."""

    @property
    def weights(self) -> np.ndarray: ...
    @property
    def rounds(self) -> int: ...
    @property
    def table_size(self) -> int: ...
    @property
    def companies(self) -> Sequence[str | None]: ...
    @property
    def forbidden(self) -> Sequence[tuple[int, int]] | set[tuple[int, int]]: ...
    @property
    def requested(self) -> Sequence[tuple[int, int]] | set[tuple[int, int]]: ...


@dataclass(frozen=True)
class TablesResult:
    """Seating plan of a tables event.

    Attributes
    ----------
    rounds : list of list of list of int
        ``rounds[r][t]``: participant indices at table t of round r (sorted).
    repeats : int
        Repeated meetings, counted as the referee's ``repeat_meetings``: the sum,
        over pairs that shared a table, of (times - 1).
    repeat_free_limit : int or None
        The proven largest number of rounds without any repeat for this room
        (people and table size), when it is known; ``None`` when only an upper
        bound is known (see :func:`repeat_free_limit`).
    notes : list of str
        Explanations for the organiser (limits hit, constraints that cost seats…).
    relevance : int
        Sum of the weights of the distinct pairs that shared a table.
    """

    rounds: Rounds
    repeats: int
    repeat_free_limit: int | None
    notes: list[str] = field(default_factory=list)
    relevance: int = 0


@dataclass(frozen=True)
class RepeatFreeLimit:
    """How many rounds a room can run without anyone meeting twice.

    Attributes
    ----------
    upper : int
        A proven upper bound.
    exact : int or None
        The exact maximum when known (a matching construction exists), else None.
    why : str
        One sentence explaining the figure.
    """

    upper: int
    exact: int | None
    why: str


# ---------------------------------------------------------------------------
# Finite fields and designs


def _prime_power(q: int) -> tuple[int, int] | None:
    """``(p, e)`` with ``q == p**e`` and p prime, or None."""
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    e, r = 0, q
    while r % p == 0:
        r //= p
        e += 1
    return (p, e) if r == 1 else None


def _smallest_prime_factor(m: int) -> int:
    return next(d for d in range(2, m + 1) if m % d == 0)


def _poly_mulmod(a: list[int], b: list[int], mod: list[int], p: int) -> list[int]:
    """Product of two polynomials (coefficient lists, low degree first) modulo a monic ``mod``."""
    e = len(mod) - 1
    prod = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            prod[i + j] = (prod[i + j] + x * y) % p
    for d in range(len(prod) - 1, e - 1, -1):
        c = prod[d]
        if c:
            for j in range(e + 1):
                prod[d - e + j] = (prod[d - e + j] - c * mod[j]) % p
    return (prod + [0] * e)[:e]


def _gf(q: int) -> tuple[np.ndarray, np.ndarray]:
    """Addition and multiplication tables of GF(q), elements coded 0..q-1 (base-p digits).

    Notes
    -----
    Finds a monic irreducible polynomial of degree e by brute force (a polynomial
    whose residue ring has no zero divisor); O(q^3) — q is a table size, tiny.
    """
    pe = _prime_power(q)
    if pe is None:
        raise ValueError(f"{q} is not a prime power")
    p, e = pe

    def digits(x: int) -> list[int]:
        return [(x // p**i) % p for i in range(e)]

    def number(d: list[int]) -> int:
        return sum(c * p**i for i, c in enumerate(d))

    add = np.array(
        [
            [number([(a + b) % p for a, b in zip(digits(x), digits(y), strict=True)]) for y in range(q)]
            for x in range(q)
        ],
        dtype=np.int64,
    )
    for tail in itertools.product(range(p), repeat=e):
        mod = [*tail, 1]
        mul = np.array(
            [[number(_poly_mulmod(digits(x), digits(y), mod, p)) for y in range(q)] for x in range(q)],
            dtype=np.int64,
        )
        # A field has no zero divisors: every row of a non-zero x is a permutation.
        if all(len(set(mul[x, 1:].tolist())) == q - 1 and 0 not in mul[x, 1:] for x in range(1, q)):
            return add, mul
    raise AssertionError("unreachable: an irreducible polynomial always exists")


def _affine_lines(q: int, d: int) -> Rounds:
    """Parallel classes of lines of the affine space AG(d, q): q^d points, tables of q.

    One round per direction (a point of the projective space PG(d-1, q)): the
    lines with that direction partition the space, and two points lie on exactly
    one line, so the (q^d - 1)/(q - 1) rounds meet every pair exactly once.
    """
    add, mul = _gf(q)
    points = list(itertools.product(range(q), repeat=d))
    code = {pt: i for i, pt in enumerate(points)}
    rounds: Rounds = []
    for direction in itertools.product(range(q), repeat=d):
        nz = [c for c in direction if c]
        if not nz or nz[0] != 1:  # one representative per projective point: first non-zero = 1
            continue
        seen: set[int] = set()
        tables = []
        for pt in points:
            if code[pt] in seen:
                continue
            line = [
                code[tuple(int(add[a, mul[t, c]]) for a, c in zip(pt, direction, strict=True))]
                for t in range(q)
            ]
            seen.update(line)
            tables.append(sorted(line))
        rounds.append(tables)
    return rounds


def _net(k: int, m: int) -> Rounds:
    """Rounds of m tables of k (k <= m) on the points (x, y), x < k, y in a ring of order m.

    Round "slope s": tables {(x, s*x + b)}, one per b. Two slopes whose difference
    is invertible never put two points together twice, so: all m slopes of GF(m)
    when m is a prime power, else the slopes 0..p-1 of Z_m (p its smallest prime
    factor). When k == m the columns {(c, y)} add one more round. For k == m == 6
    this gives the 3 rounds that are the most possible (a Latin square's rows,
    columns and symbols).
    """
    pe = _prime_power(m)
    if pe is not None and pe[1] > 1 and m <= 256:  # prime m: Z_m below is already the field
        add, mul = _gf(m)
        slopes = list(range(m))

        def line(s: int, b: int) -> list[int]:
            return [x * m + int(add[mul[s, x], b]) for x in range(k)]
    else:
        slopes = list(range(_smallest_prime_factor(m)))

        def line(s: int, b: int) -> list[int]:
            return [x * m + (s * x + b) % m for x in range(k)]

    rounds: Rounds = [[sorted(line(s, b)) for b in range(m)] for s in slopes]
    if k == m:
        rounds.append([[x * m + y for y in range(m)] for x in range(k)])
    return rounds


#: Ten base blocks of a resolvable packing of 32 points (GF(2)^5 coded 0..31) by
#: blocks of 4: each round is one base block set, developed by XOR with 0..7
#: (translations by a 3-dimensional subspace). Found by exact cover over
#: orbit representatives (see docs/algorithms/tables.md); checked by the tests.
_SGP_32_4_BASE: tuple[tuple[tuple[int, ...], ...], ...] = (
    ((0, 9, 22, 25),),
    ((0, 11, 19, 30),),
    ((0, 12, 23, 27),),
    ((0, 13, 20, 31),),
    ((0, 14, 16, 24),),
    ((0, 15, 18, 28),),
    ((0, 2, 8, 10), (16, 19, 25, 26)),
    ((0, 4, 17, 21), (8, 13, 25, 28)),
    ((0, 7, 26, 29), (8, 14, 18, 20)),
    ((0, 3, 5, 6), (8, 11, 12, 15), (16, 18, 21, 23), (24, 26, 28, 30)),
)


def _golf_32_4() -> Rounds:
    """Ten rounds of 8 tables of 4 for 32 people with no repeat (social golfer 8-4-10).

    Ten is the most possible: everyone meets 3 new people a round and there are
    only 31 others, so floor(31 / 3) = 10; the one person each misses is their
    partner in a perfect matching (the leftover of a resolvable packing).
    """
    rounds: Rounds = []
    for base in _SGP_32_4_BASE:
        tables = {tuple(sorted(x ^ t for x in block)) for block in base for t in range(8)}
        rounds.append([list(b) for b in sorted(tables)])
    return rounds


#: Two Latin squares of order 6 whose superposition holds 34 of the 36 symbol
#: pairs, the most possible (no orthogonal pair exists: Tarry 1900); found once
#: by CP-SAT (see docs/algorithms/tables.md) and checked by the tests. Only the
#: symbol pairs (1, 0) and (4, 5) stand in two cells each.
_NEAR_ORTHOGONAL_6: tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]] = (
    (
        (0, 1, 2, 3, 4, 5),
        (1, 3, 5, 0, 2, 4),
        (2, 5, 1, 4, 0, 3),
        (3, 4, 0, 2, 5, 1),
        (4, 0, 3, 5, 1, 2),
        (5, 2, 4, 1, 3, 0),
    ),
    (
        (0, 1, 2, 3, 4, 5),
        (4, 0, 3, 2, 5, 1),
        (3, 2, 0, 5, 1, 4),
        (5, 3, 4, 1, 0, 2),
        (2, 5, 1, 4, 3, 0),
        (1, 4, 5, 0, 2, 3),
    ),
)


def _officers_36() -> Rounds:
    """Four rounds of 6 tables of 6 for 36 people with 2 repeated meetings.

    Person 6i + j is the cell (i, j): rounds are the rows, the columns, and the
    symbol classes of the two near-orthogonal squares. Rows, columns and either
    square never repeat a pair; the squares share two symbol pairs, each a pair
    of cells that meet twice.
    """
    rounds: Rounds = [
        [[6 * i + j for j in range(6)] for i in range(6)],
        [[6 * i + j for i in range(6)] for j in range(6)],
    ]
    for square in _NEAR_ORTHOGONAL_6:
        rounds.append(
            [[6 * i + j for i in range(6) for j in range(6) if square[i][j] == s] for s in range(6)]
        )
    return rounds


def _constructions(n: int, k: int) -> list[tuple[Rounds, str]]:
    """Known repeat-free designs for n people at n/k tables of k, with their names."""
    out: list[tuple[Rounds, str]] = []
    if n % k:
        return out
    m = n // k
    pe = _prime_power(k)
    if pe is not None:
        d = round(math.log(n, k))
        if k**d == n and d >= 2 and (k**d - 1) // (k - 1) <= 400:
            out.append(
                (
                    _affine_lines(k, d),
                    Note("design_affine", "the lines of the affine geometry AG({d}, {q})", d=d, q=k),
                )
            )
    if k <= m:
        pm = _prime_power(m)
        kind = f"GF({m})" if pm is not None and pm[1] > 1 and m <= 256 else f"Z_{m}"
        out.append((_net(k, m), Note("design_net", "a net over {ring}", ring=kind)))
    if (n, k) == (32, 4):
        out.append(
            (
                _golf_32_4(),
                Note(
                    "design_32", "a resolvable packing of 32 by blocks of 4 (ten base blocks under GF(2)^3)"
                ),
            )
        )
    return out


# ---------------------------------------------------------------------------
# Limits


def _sizes(n: int, m: int) -> list[int]:
    """n seats over m tables, sizes differing by at most one (largest first)."""
    base, extra = divmod(n, m)
    return [base + 1] * extra + [base] * (m - extra)


def repeat_free_limit(n: int, table_size: int) -> RepeatFreeLimit:
    """The largest number of repeat-free rounds for n people at ceil(n/k) equal tables.

    Parameters
    ----------
    n : int
        Number of people (everyone seated, no company constraint).
    table_size : int
        k, at least 3.

    Returns
    -------
    RepeatFreeLimit

    Notes
    -----
    Bounds: someone at a table of s meets s - 1 new people a round and there are
    n - 1 others, so at most floor((n-1)/(s_min-1)) rounds; the pairs met per
    round add up to at most C(n, 2). When a table holds more people than there
    are tables, round 2 must reseat two former tablemates together (pigeonhole).
    Exact values: affine geometries (n = q^d, k = q prime power) reach the bound;
    n = k^2 runs at most N(k) + 2 rounds, N(k) the number of mutually orthogonal
    Latin squares of order k, so 36 at tables of 6 stop at 3 (Euler's 36
    officers, Tarry 1900); 32 at tables of 4 reach 10. O(k^3 + n) time.

    Examples
    --------
    >>> repeat_free_limit(36, 6).exact
    3
    >>> repeat_free_limit(32, 4).exact
    10
    """
    k = table_size
    if n < 2:
        return RepeatFreeLimit(
            0, 0, Note("limit_too_few", "fewer than two people: nobody can sit at a table")
        )
    m = -(-n // k)
    sizes = _sizes(n, m)
    if m == 1:
        return RepeatFreeLimit(
            1, 1, Note("limit_one_table", "{n} people fill one table: a second round repeats every pair", n=n)
        )
    if sizes[0] > m:
        return RepeatFreeLimit(
            1,
            1,
            Note(
                "limit_pigeonhole",
                "{n} people at {tables} tables of up to {size}: a second round puts two former "
                "tablemates together (more seats at a table than tables)",
                n=n,
                tables=m,
                size=sizes[0],
            ),
        )
    per_round = sum(s * (s - 1) // 2 for s in sizes)
    upper = min((n - 1) // (sizes[-1] - 1), (n * (n - 1) // 2) // per_round)
    trivial = Note(
        "limit_counting",
        "at most {upper} rounds without a repeat (each round everyone meets {new}+ new people, out of {others})",
        upper=upper,
        new=sizes[-1] - 1,
        others=n - 1,
    )
    if n == 36 and k == 6:
        return RepeatFreeLimit(
            3,
            3,
            Note(
                "limit_36",
                "36 people at 6 tables of 6: at most 3 rounds without a repeat (a 4th would need two "
                "orthogonal Latin squares of order 6, which do not exist: Euler's 36 officers, Tarry 1900)",
            ),
        )
    if n == 32 and k == 4:
        return RepeatFreeLimit(
            10,
            10,
            Note(
                "limit_32",
                "32 people at 8 tables of 4: at most floor(31/3) = 10 rounds without a repeat, "
                "reached by a resolvable packing (social golfer 8-4-10)",
            ),
        )
    for rounds, name in _constructions(n, k):
        if len(rounds) >= upper:
            return RepeatFreeLimit(
                upper,
                upper,
                Note("limit_reached", "{bound}, reached by {design}", bound=trivial, design=name),
            )
    if n == k * k and _prime_power(k) is None:
        # A net of order k with r parallel classes is r - 2 MOLS of order k.
        return RepeatFreeLimit(
            k + 1,
            None,
            Note(
                "limit_mols",
                "{n} people at {k} tables of {k}: r rounds without a repeat need r - 2 mutually "
                "orthogonal Latin squares of order {k}; at most {upper}",
                n=n,
                k=k,
                upper=k + 1,
            ),
        )
    return RepeatFreeLimit(upper, None, trivial)


# ---------------------------------------------------------------------------
# Layout: how many tables, how many seats, who may sit together


def _company_codes(companies: Sequence[str | None]) -> np.ndarray:
    codes = np.full(len(companies), -1, dtype=np.int64)
    names: dict[str, int] = {}
    for i, c in enumerate(companies):
        if c is not None:
            codes[i] = names.setdefault(c, len(names))
    return codes


def _conflicts(instance: TablesInput, n: int) -> np.ndarray:
    """``(n, n)`` bool: may not share a table (colleagues or forbidden)."""
    codes = _company_codes(instance.companies)
    bad = (codes[:, None] == codes[None, :]) & (codes[:, None] >= 0)
    for a, b in instance.forbidden:
        bad[a, b] = bad[b, a] = True
    np.fill_diagonal(bad, False)
    return bad


def _layout(n: int, k: int, codes: np.ndarray) -> tuple[int, int]:
    """``(tables, seated)`` for one round.

    With m tables at most min(c, m) people of a company of c can sit (one per
    table) and at most k*m in all; we take the m that seats
    the most people, then the fewest tables (m from 1: when companies leave
    room for only one table, it is still set). Dealing people round-robin by
    company reaches that count with sizes differing by one, so it is exact for
    the company rule (forbidden pairs are left to the search and the repair).
    """
    if n < 2:
        return 0, 0
    sizes = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(0, dtype=np.int64)
    loners = int((codes < 0).sum())
    best = (0, 0)
    for m in range(1, n // 2 + 1):  # fewer than ceil(n/k) tables only win when a company forces it
        seated = min(loners + int(np.minimum(sizes, m).sum()), k * m)
        if seated >= 2 * m and seated > best[1]:
            best = (m, seated)
        if seated == n:
            break
    return best


# ---------------------------------------------------------------------------
# The search


class _Search:
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


# ---------------------------------------------------------------------------
# Repair and checker


def _repair(seat_rows: list[list[list[int]]], bad: np.ndarray, k: int, n: int) -> Rounds:
    """Make every round valid: unseat conflicts, then seat the resting wherever a seat is free.

    Ends in the state :func:`is_valid_tables` asks for: no conflict, tables of 2
    to k, no resting person who could take a free seat, no two resting people
    who could share a new table.
    """
    out: Rounds = []
    for tables in seat_rows:
        tables = [list(t) for t in tables]
        resting = set(range(n)) - {p for t in tables for p in t}
        for t in tables:
            while True:
                clash = [sum(bad[p, x] for x in t) for p in t]
                if not t or max(clash) == 0:
                    break
                worst = t[int(np.argmax(clash))]
                t.remove(worst)
                resting.add(worst)
        for t in tables:
            if len(t) == 1:
                resting.add(t.pop())
        tables = [t for t in tables if t]
        changed = True
        while changed and resting:
            changed = False
            for p in sorted(resting):
                open_tables = [t for t in tables if len(t) < k and not bad[p, t].any()]
                if open_tables:
                    min(open_tables, key=len).append(p)
                    resting.discard(p)
                    changed = True
            for p in sorted(resting):
                if p not in resting:
                    continue
                mates = [q for q in sorted(resting) if q != p and not bad[p, q]]
                if mates:
                    new = [p, mates[0]]
                    resting -= set(new)
                    tables.append(new)
                    changed = True
        out.append(sorted(sorted(t) for t in tables))
    return out


def is_valid_tables(instance: TablesInput, rounds: Rounds) -> list[str]:
    """Check a tables plan against the hard rules; return the violations (empty if valid).

    Rules: at most ``instance.rounds`` rounds; known participants; nobody twice in
    a round; tables of 2 to ``table_size``; no colleagues nor forbidden pair at a
    table; nobody rests while seating them was possible — a free seat at a table
    with no colleague or forbidden partner of theirs, or another resting person
    they could sit with.

    Notes
    -----
    O(R * (n * k + rested * n)) time.
    """
    n = int(np.asarray(instance.weights).shape[0])
    k = instance.table_size
    ids = getattr(instance, "ids", None)

    def name(i: int) -> str:
        return str(ids[i]) if ids is not None else f"#{i}"

    bad = _conflicts(instance, n)
    errors: list[str] = []
    if len(rounds) > instance.rounds:
        errors.append(f"{len(rounds)} rounds, the event has {instance.rounds}")
    for r, tables in enumerate(rounds, start=1):
        seen: set[int] = set()
        valid_tables: list[list[int]] = []
        for t in tables:
            ok = True
            for p in t:
                if not isinstance(p, int | np.integer) or not 0 <= p < n:
                    errors.append(f"round {r}: unknown participant {p!r}")
                    ok = False
                    continue
                if p in seen:
                    errors.append(f"round {r}: {name(p)} sits at two tables")
                seen.add(int(p))
            if not 2 <= len(t) <= k:
                errors.append(f"round {r}: a table of {len(t)}, tables seat 2 to {k}")
            if not ok:
                continue
            for a, b in itertools.combinations(t, 2):
                if bad[a, b]:
                    codes = instance.companies
                    why = (
                        f"colleagues ({codes[a]})"
                        if codes[a] is not None and codes[a] == codes[b]
                        else "a forbidden pair"
                    )
                    errors.append(f"round {r}: {name(a)} and {name(b)} at one table, {why}")
            valid_tables.append([int(p) for p in t])
        resting = [p for p in range(n) if p not in seen]
        for p in resting:
            spot = next((t for t in valid_tables if len(t) < k and not bad[p, t].any()), None)
            if spot is not None:
                errors.append(f"round {r}: {name(p)} rests though a table of {len(spot)} could seat them")
        for a, b in itertools.combinations(resting, 2):
            if not bad[a, b]:
                errors.append(
                    f"round {r}: {name(a)} rests though they could share a table with {name(b)}, also resting"
                )
                break
    return errors


# ---------------------------------------------------------------------------
# Entry point


def _check_input(instance: TablesInput) -> tuple[np.ndarray, int, int]:
    W = np.asarray(instance.weights)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise EngineInputError(f"weights: expected a square matrix, got shape {W.shape}")
    n = W.shape[0]
    if len(instance.companies) != n:
        raise EngineInputError(f"companies: {len(instance.companies)} entries for {n} participants")
    if instance.table_size < 3:
        raise EngineInputError(
            f"table_size: {instance.table_size}; tables seat at least 3 (one-to-one rounds are rotations)"
        )
    if instance.rounds < 1:
        raise EngineInputError(f"rounds: expected at least 1, got {instance.rounds}")
    for name_, pairs in (("forbidden", instance.forbidden), ("requested", instance.requested)):
        for a, b in pairs:
            if not (0 <= a < n and 0 <= b < n) or a == b:
                raise EngineInputError(f"{name_}: bad index pair ({a}, {b})")
    return W, n, instance.table_size


def solve_tables(
    instance: TablesInput,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    max_iterations: int | None = None,
) -> TablesResult:
    """Seat everyone at tables for every round: no repeat when possible, then relevance.

    Parameters
    ----------
    instance : TablesInput
        Weights, rounds, table_size (k >= 3), companies, forbidden and requested pairs.
    seed : int
        Seed of every random choice: same seed, same input, same plan (when
        ``time_limit`` is None).
    time_limit : float or None
        Seconds for the search; None runs a fixed, deterministic budget.
    max_iterations : int or None
        Overrides the number of search iterations (deterministic; for tests and
        benchmarks of the budget).

    Returns
    -------
    TablesResult
        A plan that :func:`is_valid_tables` accepts.

    Raises
    ------
    EngineInputError
        Malformed input (non-square weights, table_size < 3, bad pair index).

    Notes
    -----
    Layout: t = ceil(n/k) tables (more if a company has more members than
    tables), sizes differing by one. Start: a known design when the room has
    one (then rounds are exactly repeat-free), greedy rounds otherwise. Search:
    tabu over two moves, each scored for all candidate pairs at once with
    numpy — swapping two people in one round, O(n^2 t) per round scored, and
    exchanging two people across all rounds, O(n^3). First repeats and
    conflicts only, then relevance; a final repair guarantees a valid plan.
    The default budget is at most 2,500 iterations (about 2,000 at n = 120,
    stopping early on a stall), O(n^2 t + n^3) each: about 1 s of one core
    for 120 people at tables of 6 over 4 rounds.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> inst = SimpleNamespace(weights=np.zeros((9, 9), dtype=int), rounds=4, table_size=3,
    ...                        companies=[None] * 9, forbidden=set(), requested=set())
    >>> res = solve_tables(inst)
    >>> res.repeats, res.repeat_free_limit, len(res.rounds)
    (0, 4, 4)
    """
    W, n, k = _check_input(instance)
    R = instance.rounds
    rng = random.Random(seed)
    notes: list[str] = []
    bad = _conflicts(instance, n)
    codes = _company_codes(instance.companies)
    req = np.zeros((n, n), dtype=np.float64)
    for a, b in instance.requested:
        if not bad[a, b]:
            req[a, b] = req[b, a] = 1.0
    impossible_req = [(a, b) for a, b in instance.requested if bad[a, b]]
    if impossible_req:
        notes.append(
            Note(
                "tables_requested_impossible",
                "{count} requested pair(s) are colleagues or forbidden: they cannot meet",
                count=len(impossible_req),
            )
        )

    m, seated = _layout(n, k, codes)
    limit = repeat_free_limit(n, k)
    if n < 2 or m == 0:
        notes.append(Note("no_table", "no two people may share a table: no table can be set"))
        return TablesResult([[] for _ in range(R)], 0, 0 if n < 2 else None, notes, 0)
    if seated < n:
        notes.append(
            Note(
                "company_rests",
                "{count} people must rest each round: a company has more members than can be spread one per table",
                count=n - seated,
            )
        )
    if m > -(-n // k):
        notes.append(
            Note(
                "extra_tables",
                "{tables} tables instead of {usual}: a company has {members} members, one per table",
                tables=m,
                usual=-(-n // k),
                members=int(np.bincount(codes[codes >= 0]).max()),
            )
        )
    sizes = _sizes(seated, m)
    equal_room = seated == n and m == -(-n // k)
    exact = limit.exact if equal_room else None

    search = _Search(W, bad, req, R, k, m, sizes, n - seated, rng)
    # A design for the whole room gives repeat-free rounds; the most rounds wins.
    design: Rounds = []
    if equal_room and len(set(sizes)) == 1:
        for rounds_, _name in _constructions(n, k):
            if len(rounds_) > len(design):
                design = rounds_
        if (n, k) == (36, 6) and len(design) < R:
            # beyond the 3 repeat-free rounds, the best known 4th costs 2 repeats
            design = _officers_36()
    if design:
        chosen = list(range(len(design)))
        rng.shuffle(chosen)
        label = list(range(n))
        rng.shuffle(label)
        for r, c in enumerate(chosen[:R]):
            search.set_round(r, design[c], label)
    for r in range(min(len(design), R), R):
        search.greedy_round(r)
    search.recount()

    deadline = None if time_limit is None else time.perf_counter() + time_limit
    # Without a time limit, a fixed amount of work (so the plan depends on the
    # seed only): _WORK multiply-adds, fewer iterations for big rooms where each
    # one costs O(n^3).
    # Exchanges matter most on a design (they are its only repeat-free move);
    # elsewhere swaps give more relevance per second (measured at n = 120).
    search.label_every = 1 if design else 4
    per_iteration = n * n * m + n**3 / search.label_every
    iters = int(min(2500, max(200, _WORK / per_iteration))) if time_limit is None else 10**9
    if max_iterations is not None:
        iters = max_iterations
    # The search multiplies many small matrices: a multi-threaded BLAS spins
    # its threads on every product and, on a busy machine, runs ten times
    # slower than one thread (measured: 21 s against 1.5 s at n = 120).
    single = threadpool_limits(limits=1, user_api="blas") if threadpool_limits else contextlib.nullcontext()
    with single:
        # Phase 1, weights off: only repeats and conflicts count, so the search
        # walks freely across plans of equal violation (as social-golfer tabu
        # searches do) until the plan is clean. Phase 2, weights on: relevance,
        # with repeats and conflicts priced above anything a move can gain.
        weights = search.Wp
        search.Wp = np.zeros_like(weights)
        used = search.run(
            max_iters=3 * iters // 4, stall=max(1000, 4 * n), deadline=deadline, until_clean=True
        )
        search.Wp = weights
        search.run(max_iters=iters - used, stall=max(500, 4 * n), deadline=deadline)

    plan = _repair([search.tables_of(r) for r in range(R)], bad, k, n)
    C = np.zeros((n, n), dtype=np.int64)
    for tables in plan:
        for t in tables:
            C[np.ix_(t, t)] += 1
    np.fill_diagonal(C, 0)
    upper = np.triu(C, 1)
    repeats = int(np.maximum(upper - 1, 0).sum())
    relevance = int(np.asarray(W, dtype=np.int64)[upper >= 1].sum())

    # With colleagues kept apart, someone with c colleagues or forbidden partners
    # can meet at most n - 1 - c people, which can lower the room's limit.
    cap, why = limit.upper, limit.why
    if exact is not None:
        cap = exact
    if not equal_room:
        # Extra tables or rests for a company: the room's limit does not apply
        # (a resting person meets nobody that round); no proven figure.
        cap, why = (
            R,
            Note(
                "limit_companies", "{tables} tables for the companies (no proven repeat-free limit)", tables=m
            ),
        )
    blocked = int(bad.sum(axis=1).max())
    smin = sizes[-1]
    if blocked and smin >= 2:
        own = (n - 1 - blocked) // (smin - 1)
        if own < cap:
            cap = own
            exact = None
            why = Note(
                "limit_blocked",
                "someone has {blocked} colleague(s) or forbidden partner(s) and can meet only "
                "{meetable} people: at most {rounds} rounds without a repeat",
                blocked=blocked,
                meetable=n - 1 - blocked,
                rounds=own,
            )
    if cap < R:
        notes.append(
            Note(
                "limit_beyond",
                "{why}; asked for {rounds} rounds: repeats minimised beyond ({repeats} repeated meetings)",
                why=why,
                rounds=R,
                repeats=repeats,
            )
        )
    elif repeats:
        notes.append(
            Note(
                "limit_left",
                "{why}; the search left {repeats} repeated meetings in {rounds} rounds",
                why=why,
                rounds=R,
                repeats=repeats,
            )
        )
    if req.any():
        missed = [(a, b) for a, b in instance.requested if req[a, b] and C[a, b] == 0]
        if missed:
            notes.append(
                Note("requested_missed", "{count} requested pair(s) did not share a table", count=len(missed))
            )
    return TablesResult(plan, repeats, exact, notes, relevance)
