"""Linear programs solved by HiGHS, without paying for ``import scipy.optimize``.

scipy ships HiGHS as a compiled module inside ``scipy.optimize``; importing it
the usual way runs ``scipy.optimize/__init__``, which loads scipy.linalg,
scipy.fft, scipy.special and scipy.sparse.linalg: about 0.4 s of CPU, more than
a whole 200 x 8 schedule takes to solve. :func:`solve_lp` loads that compiled
module alone (registered under its own name, so a later ``import
scipy.optimize`` reuses it) and falls back on :func:`scipy.optimize.linprog`
when it cannot (another scipy layout): the answer is the same either way, only
the start-up differs.

The matrix is given in compressed-column form (``start``, ``index``,
``value``), as HiGHS takes it, so no scipy.sparse is needed either.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

__all__ = ["LPResult", "MILPResult", "solve_lp", "solve_milp"]

_CORE = "scipy.optimize._highspy._core"
_core: ModuleType | bool | None = None  # None: not tried yet; False: unavailable


@dataclass(frozen=True)
class LPResult:
    """An optimal LP solution: ``x``, the objective ``value`` (minimised), the row duals."""

    x: np.ndarray
    value: float
    row_dual: np.ndarray


def _highs_core() -> ModuleType | None:
    """scipy's compiled HiGHS module, loaded without its package; None if that cannot be done."""
    global _core
    if _core is None:
        _core = False
        try:
            if _CORE in sys.modules:
                _core = sys.modules[_CORE]
            else:
                spec = importlib.util.find_spec("scipy")
                assert spec is not None and spec.origin is not None
                folder = os.path.join(os.path.dirname(spec.origin), "optimize", "_highspy")
                for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                    path = os.path.join(folder, "_core" + suffix)
                    if os.path.exists(path):
                        loader = importlib.machinery.ExtensionFileLoader(_CORE, path)
                        found = importlib.util.spec_from_file_location(_CORE, path, loader=loader)
                        assert found is not None
                        module = importlib.util.module_from_spec(found)
                        loader.exec_module(module)
                        sys.modules[_CORE] = module
                        _core = module
                        break
            names = ("_Highs", "HighsLp", "HighsOptions", "MatrixFormat", "HighsModelStatus")
            if isinstance(_core, ModuleType) and not all(hasattr(_core, x) for x in names):
                _core = False
        except Exception:  # pragma: no cover - another scipy layout: linprog does the same
            _core = False
    return _core if isinstance(_core, ModuleType) else None


def _highs_lp(
    h: Any,
    cost: np.ndarray,
    start: np.ndarray,
    index: np.ndarray,
    value: np.ndarray,
    row_upper: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
) -> Any:
    """HiGHS's model of ``min cost @ x, A x <= row_upper, col_lower <= x <= col_upper`` (A by columns)."""
    m, n = len(cost), len(row_upper)
    lp = h.HighsLp()
    lp.num_col_ = m
    lp.num_row_ = n
    lp.a_matrix_.num_col_ = m
    lp.a_matrix_.num_row_ = n
    lp.a_matrix_.format_ = h.MatrixFormat.kColwise
    lp.col_cost_ = np.ascontiguousarray(cost, dtype=np.float64)
    lp.col_lower_ = np.ascontiguousarray(col_lower, dtype=np.float64)
    lp.col_upper_ = np.ascontiguousarray(col_upper, dtype=np.float64)
    lp.row_lower_ = np.full(n, -np.inf)
    lp.row_upper_ = np.ascontiguousarray(row_upper, dtype=np.float64)
    lp.a_matrix_.start_ = np.ascontiguousarray(start, dtype=np.int32)
    lp.a_matrix_.index_ = np.ascontiguousarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.ascontiguousarray(value, dtype=np.float64)
    return lp


def solve_lp(
    cost: np.ndarray,
    start: np.ndarray,
    index: np.ndarray,
    value: np.ndarray,
    row_upper: np.ndarray,
    *,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    solver: str = "choose",
) -> LPResult:
    """Minimise ``cost @ x`` subject to ``A x <= row_upper`` and ``col_lower <= x <= col_upper``.

    Parameters
    ----------
    cost : array of m floats
    start, index, value : arrays
        ``A`` in compressed-column form: column j's entries are
        ``value[start[j]:start[j + 1]]`` in rows ``index[start[j]:start[j + 1]]``.
    row_upper : array of n floats
    col_lower, col_upper : arrays of m floats
    solver : {"choose", "ipm", "simplex"}
        HiGHS's choice (dual simplex on these LPs) or interior point.

    Returns
    -------
    LPResult

    Raises
    ------
    RuntimeError
        If HiGHS does not report an optimal solution.

    Notes
    -----
    HiGHS's time, plus O(m + n) to hand the arrays over.

    Examples
    --------
    >>> r = solve_lp(np.array([-1.0, -2.0]), np.array([0, 1, 2]), np.array([0, 0]),
    ...              np.array([1.0, 1.0]), np.array([1.0]),
    ...              col_lower=np.zeros(2), col_upper=np.ones(2))
    >>> r.x.tolist(), r.value, r.row_dual.tolist()
    ([0.0, 1.0], -2.0, [-2.0])
    """
    cost = np.ascontiguousarray(cost, dtype=np.float64)
    row_upper = np.ascontiguousarray(row_upper, dtype=np.float64)
    col_lower = np.ascontiguousarray(col_lower, dtype=np.float64)
    col_upper = np.ascontiguousarray(col_upper, dtype=np.float64)
    h: Any = _highs_core()
    if h is None:  # pragma: no cover - the fallback, same answer
        return _solve_with_linprog(cost, start, index, value, row_upper, col_lower, col_upper, solver)
    lp = _highs_lp(h, cost, start, index, value, row_upper, col_lower, col_upper)
    highs = h._Highs()
    options = h.HighsOptions()
    options.output_flag = False
    options.log_to_console = False
    options.solver = solver
    highs.passOptions(options)
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    if status != h.HighsModelStatus.kOptimal:
        raise RuntimeError(f"LP failed: {highs.modelStatusToString(status)}")
    solution = highs.getSolution()
    return LPResult(
        np.array(solution.col_value),
        float(highs.getInfo().objective_function_value),
        np.array(solution.row_dual),
    )


def _solve_with_linprog(
    cost: np.ndarray,
    start: np.ndarray,
    index: np.ndarray,
    value: np.ndarray,
    row_upper: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    solver: str,
) -> LPResult:
    from scipy.optimize import linprog
    from scipy.sparse import csc_array

    A = csc_array((value, index, start), shape=(len(row_upper), len(cost)))
    method = "highs-ipm" if solver == "ipm" else "highs"
    res = linprog(cost, A_ub=A, b_ub=row_upper, bounds=np.column_stack([col_lower, col_upper]), method=method)
    if res.status != 0:
        raise RuntimeError(f"LP failed: {res.message}")
    return LPResult(np.asarray(res.x), float(res.fun), np.asarray(res.ineqlin.marginals))


@dataclass(frozen=True)
class MILPResult:
    """The best integral solution found: ``x``, its ``value`` (minimised), ``bound`` (no solution
    is below it) and whether it is proven ``optimal`` (else the time limit stopped the search)."""

    x: np.ndarray
    value: float
    bound: float
    optimal: bool


def solve_milp(
    cost: np.ndarray,
    start: np.ndarray,
    index: np.ndarray,
    value: np.ndarray,
    row_upper: np.ndarray,
    *,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    integral: np.ndarray,
    time_limit: float,
    max_nodes: int | None = None,
    initial: np.ndarray | None = None,
) -> MILPResult | None:
    """:func:`solve_lp` with the columns where ``integral`` is true kept integral (HiGHS's branch and cut).

    ``initial``: a feasible solution to start from (HiGHS keeps it as its first incumbent).
    ``max_nodes``: stop after this many branch-and-bound nodes (1: the root alone, with its
    cuts and heuristics). HiGHS runs on one thread, so a search stopped by ``max_nodes``
    gives the same answer on every run; one stopped by ``time_limit`` depends on the machine.
    Returns None when HiGHS found no feasible solution within the limits
    (or scipy's compiled HiGHS module cannot be loaded).

    Examples
    --------
    A knapsack: two items of weight 3 and 2 and value 4 and 3 in a bag of 4 (the LP would take 1 1/3 items).

    >>> r = solve_milp(np.array([-4.0, -3.0]), np.array([0, 1, 2]), np.array([0, 0]),
    ...                np.array([3.0, 2.0]), np.array([4.0]), col_lower=np.zeros(2),
    ...                col_upper=np.ones(2), integral=np.array([True, True]), time_limit=5.0)
    >>> r.x.round().tolist(), r.value, r.optimal
    ([1.0, 0.0], -4.0, True)
    """
    h: Any = _highs_core()
    if h is None:  # pragma: no cover - another scipy layout
        return None
    lp = _highs_lp(h, cost, start, index, value, row_upper, col_lower, col_upper)
    lp.integrality_ = [h.HighsVarType.kInteger if flag else h.HighsVarType.kContinuous for flag in integral]
    highs = h._Highs()
    options = h.HighsOptions()
    options.output_flag = False
    options.log_to_console = False
    options.time_limit = float(max(time_limit, 0.01))
    if max_nodes is not None:
        options.mip_max_nodes = int(max_nodes)
    options.threads = 1
    highs.passOptions(options)
    highs.passModel(lp)
    if initial is not None:
        solution = h.HighsSolution()
        solution.col_value = np.ascontiguousarray(initial, dtype=np.float64)
        solution.value_valid = True
        highs.setSolution(solution)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return None
    return MILPResult(
        np.array(highs.getSolution().col_value),
        float(info.objective_function_value),
        float(info.mip_dual_bound),
        status == h.HighsModelStatus.kOptimal,
    )
