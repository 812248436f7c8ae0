"""Repeat-free rounds at tables: combinatorial designs and the proven limits.

Seating n people at tables of k for several rounds with no two people meeting
twice is the *social golfer problem*. :func:`constructions` lists the designs
known for a room (affine geometries over finite fields, nets from Latin squares,
a resolvable packing of 32 people at tables of 4 over 10 rounds developed from
ten base blocks); :func:`repeat_free_limit` says how many repeat-free rounds a
room can run at most, and whether that figure is reached. The tables solver
(:mod:`meute.engine.rotations.tables`) starts from these designs.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from meute.engine.notes import Note
from meute.engine.rotations.instance import Rounds

__all__ = ["RepeatFreeLimit", "constructions", "officers_36", "repeat_free_limit", "table_sizes"]


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


def officers_36() -> Rounds:
    """Four rounds of 6 tables of 6 for 36 people with 2 repeated meetings (O(1): a fixed design).

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


def constructions(n: int, k: int) -> list[tuple[Rounds, str]]:
    """Known repeat-free designs for n people at n/k tables of k, with their names.

    Notes
    -----
    O(R n) per design built (R its rounds), plus O(q^2) for the field tables.
    """
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


def table_sizes(n: int, m: int) -> list[int]:
    """n seats over m tables, sizes differing by at most one (largest first), in O(m)."""
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
    sizes = table_sizes(n, m)
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
    for rounds, name in constructions(n, k):
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
