"""The exact max-min answer on small popular rooms, by OR-Tools CP-SAT (a dev dependency).

How far below the fractional fair bounds is the best *integral* schedule? On a
room small enough, CP-SAT maximises the worst share exactly: one Boolean per
pair and round, each person at one table a round, no pair twice, the
satisfiable requests met, the total held to a floor, and the worst share t (in
thousandths) below every person's relevance over their own best. Its proven
bound on t is a bound on every schedule keeping those rules; its best schedule
shows what can be reached.

Run: .venv/bin/python -m benchmarks.popular_exact [SEEDS…]
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from benchmarks.common import shared_module, table
from benchmarks.popular import popular
from meute.engine.rotations import PairingInstance, parse_instance, schedule_to_json, solve_rotations
from meute.engine.rotations.bounds import fair_bound, lp_bound
from meute.engine.rotations.one_to_one import _requested_capped


def exact_maxmin(
    inst: PairingInstance,
    fixed: list[tuple[int, int]],
    min_total: float,
    seconds: float,
    hint: list[list[list[int]]] | None = None,
) -> tuple[float, float, list[list[list[int]]]]:
    """(best worst share found, proven upper bound on it, the schedule) within ``seconds``.

    ``hint``: a schedule to start from (Meute's), as CP-SAT's solution hint.
    """
    from ortools.sat.python import cp_model

    n, R = inst.n, inst.rounds
    own = np.asarray(inst.own_bound, dtype=np.int64)
    fixed_set = {(min(p), max(p)) for p in fixed}
    a, b = np.nonzero(np.triu(inst.allowed, 1))
    pairs = [
        (p, q)
        for p, q in zip(a.tolist(), b.tolist(), strict=True)
        if inst.weights[p, q] > 0 or (p, q) in fixed_set
    ]
    model = cp_model.CpModel()
    x = {(r, e): model.NewBoolVar(f"x{r}_{e}") for r in range(R) for e in range(len(pairs))}
    met = [model.NewBoolVar(f"m{e}") for e in range(len(pairs))]
    at: list[list[int]] = [[] for _ in range(n)]
    for e, (p, q) in enumerate(pairs):
        at[p].append(e)
        at[q].append(e)
        model.Add(sum(x[r, e] for r in range(R)) == met[e])  # never twice
        if (p, q) in fixed_set:
            model.Add(met[e] == 1)
    for r in range(R):
        for i in range(n):
            model.Add(sum(x[r, e] for e in at[i]) <= 1)
    w = [int(inst.weights[p, q]) for p, q in pairs]
    model.Add(sum(w[e] * met[e] for e in range(len(pairs))) >= math.ceil(min_total))
    t = model.NewIntVar(0, 1000, "t")
    for i in range(n):
        if own[i] > 0:
            model.Add(1000 * sum(w[e] * met[e] for e in at[i]) >= int(own[i]) * t)
    model.Maximize(t)
    if hint:
        index = {pq: e for e, pq in enumerate(pairs)}
        for r, tables in enumerate(hint):
            chosen = {index.get((min(tb[:2]), max(tb[:2]))) for tb in tables if len(tb) == 2}
            for e in range(len(pairs)):
                model.AddHint(x[r, e], e in chosen)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return float("nan"), solver.BestObjectiveBound() / 1000, []
    rounds = [[list(pairs[e]) for e in range(len(pairs)) if solver.Value(x[r, e])] for r in range(R)]
    return solver.Value(t) / 1000, solver.BestObjectiveBound() / 1000, rounds


def run(seeds: list[int], seconds: float = 60.0) -> str:
    referee = shared_module("referee")
    rows: list[list[Any]] = []
    for seed in seeds:
        doc = popular(36, 4, seed=seed, hubs=3, requests=12, forbidden=4, density=0.2)
        inst = parse_instance(doc)
        fixed = _requested_capped(inst, [])
        lp_req = lp_bound(inst, fixed=fixed)
        fair = fair_bound(inst)
        fair_req = fair_bound(inst, fixed=fixed, min_total=0.99 * lp_req)
        ours = solve_rotations(inst)
        f = referee.referee(doc, schedule_to_json(inst, ours.rounds))
        best, bound, rounds = exact_maxmin(inst, fixed, 0.99 * lp_req, seconds, hint=ours.rounds)
        g = referee.referee(doc, schedule_to_json(inst, rounds)) if rounds else None
        rows.append(
            [
                seed,
                round(fair, 4),
                round(fair_req, 4),
                round(bound, 3),
                best if g is None else g["worst_share"],
                "-" if g is None else round(g["total_relevance"] / lp_req, 4),
                f["worst_share"],
                round(f["total_relevance"] / lp_req, 4),
                f"{f['requested_met']}/{len(fixed)}",
            ]
        )
    return table(
        [
            "seed",
            "fair_bound",
            "fair_req99",
            "CP-SAT proven bound",
            "CP-SAT best worst_share",
            "CP-SAT total / LP_req",
            "Meute worst_share",
            "Meute total / LP_req",
            "Meute requests",
        ],
        rows,
    )


if __name__ == "__main__":
    print(run([int(s) for s in sys.argv[1:]] or [1, 2, 3]))
