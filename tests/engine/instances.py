"""Small pairing instances written by hand, shared by the engine's tests."""

from __future__ import annotations

import numpy as np

from meute.engine.rotations import PairingInstance


def make(
    weights: list[list[int]] | np.ndarray,
    rounds: int,
    *,
    companies: list[str | None] | None = None,
    forbidden: tuple[tuple[int, int], ...] = (),
    requested: tuple[tuple[int, int], ...] = (),
    table_size: int = 2,
) -> PairingInstance:
    """An instance of ``len(weights)`` people named p1, p2, … with these weights."""
    w = np.asarray(weights, dtype=np.int64)
    n = len(w)
    return PairingInstance(
        ids=tuple(f"p{i + 1}" for i in range(n)),
        companies=tuple(companies or [None] * n),
        weights=w,
        forbidden=forbidden,
        requested=requested,
        rounds=rounds,
        table_size=table_size,
    )


def uniform(n: int, rounds: int, value: int = 1, **kw: object) -> PairingInstance:
    """``n`` people who all weigh ``value`` to each other."""
    w = np.full((n, n), value)
    np.fill_diagonal(w, 0)
    return make(w, rounds, **kw)  # type: ignore[arg-type]
