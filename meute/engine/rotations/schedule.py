"""One entry point for a rotation schedule: the right solver for the instance's tables.

:func:`solve_schedule` hands one-to-one instances (``table_size == 2``) to
:func:`~meute.engine.rotations.one_to_one.solve_rotations` and tables of three
or more to :func:`~meute.engine.rotations.tables.solve_tables`, so that no caller
chooses between them.
"""

from __future__ import annotations

from meute.engine.rotations.instance import PairingInstance
from meute.engine.rotations.one_to_one import RotationResult, solve_rotations
from meute.engine.rotations.tables import TablesResult, solve_tables

__all__ = ["ScheduleResult", "solve_schedule"]

#: What :func:`solve_schedule` returns; both carry ``rounds`` and ``notes``.
ScheduleResult = RotationResult | TablesResult


def solve_schedule(
    instance: PairingInstance, *, seed: int = 0, time_limit: float | None = None
) -> ScheduleResult:
    """A schedule of ``instance.rounds`` rounds, by the solver its table size calls for.

    Parameters
    ----------
    instance : PairingInstance
    seed : int, default 0
        Breaks ties; same seed, same input, same schedule (without ``time_limit``).
    time_limit : float, optional
        Seconds; the solver stops improving then (the schedule is valid anyway).

    Returns
    -------
    RotationResult or TablesResult
        :class:`~meute.engine.rotations.one_to_one.RotationResult` when
        ``instance.table_size == 2``, else
        :class:`~meute.engine.rotations.tables.TablesResult`; both have
        ``rounds`` (tables of participant indices) and ``notes``.

    Notes
    -----
    That of the solver chosen: :func:`~meute.engine.rotations.one_to_one.solve_rotations`
    (an LP on O(n K) candidate pairs, colouring and 2-opt, well under a second
    for 400 x 8) or :func:`~meute.engine.rotations.tables.solve_tables` (tabu
    search of at most 2,500 iterations of O(n^2 t + n^3), about 1 s for 120
    people at tables of 6).

    Examples
    --------
    >>> from meute.engine.rotations import parse_instance
    >>> doc = {"format": "meute.pairing-instance/1", "rounds": 1,
    ...     "participants": [{"id": p} for p in "abcdef"], "weights": [[0] * 6 for _ in range(6)]}
    >>> [len(t) for t in solve_schedule(parse_instance(doc)).rounds[0]]
    [2, 2, 2]
    >>> [len(t) for t in solve_schedule(parse_instance(doc | {"table_size": 3})).rounds[0]]
    [3, 3]
    """
    if instance.table_size > 2:
        return solve_tables(instance, seed=seed, time_limit=time_limit)
    return solve_rotations(instance, seed=seed, time_limit=time_limit)
