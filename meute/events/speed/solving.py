"""Between the engine's schedules and the organiser: checks, repairs and figures of a plan.

Rounds here are engine rounds (positions in the list of registrations); the
rules are the engine's (:func:`meute.engine.rotations.rule_breaks`), said in words
and names for the organiser by :func:`rule_message`.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from typing import Any

from django.utils.translation import gettext as _

from meute.engine.rotations import PairingInstance, Rounds
from meute.events.models import Registration
from meute.events.speed.notes import stored_notes


def clean_rounds(rounds: Rounds) -> Rounds:
    """The rounds with each table as a sorted list of plain ints."""
    return [[sorted(int(i) for i in t) for t in tables] for tables in rounds]


def rule_breaks(instance: PairingInstance, rounds: Rounds) -> list[str]:
    """The hard rules the rounds break (empty: none), in the engine's words."""
    from meute.engine.rotations import rule_breaks as engine_rule_breaks

    # Only the hard rules: a hand-made change may leave a table short, never break a rule.
    return engine_rule_breaks(instance, rounds)


def rule_message(instance: PairingInstance, rounds: Rounds, regs: list[Registration]) -> str:
    """The broken rule of a plan, in words and names, for the organiser (the checker speaks English, by id)."""
    for r, tables in enumerate(rounds, start=1):
        seen: set[int] = set()
        for t in tables:
            for a, b in combinations(t, 2):
                if not instance.allowed[a, b]:
                    return _(
                        "au tour %(r)s, %(a)s et %(b)s seraient à la même table, or ils sont de la même "
                        "entreprise ou l'un a demandé à ne pas rencontrer l'autre."
                    ) % {"r": r, "a": regs[a].person.full_name, "b": regs[b].person.full_name}
            for i in t:
                if i in seen:
                    return _("au tour %(r)s, %(a)s serait à deux tables.") % {
                        "r": r,
                        "a": regs[i].person.full_name,
                    }
                seen.add(i)
    return _("le plan obtenu enfreindrait une règle de placement.")


def pairs_of(tables: Iterable[list[int]]) -> set[tuple[int, int]]:
    """Every pair seated together at one of the tables, as (smaller, larger)."""
    return {(min(a, b), max(a, b)) for t in tables for a, b in combinations(t, 2)}


def plan_figures(
    instance: PairingInstance, rounds: Rounds, regs: list[Registration], notes: list[str]
) -> dict[str, Any]:
    """The plan's figures for the organiser: the engine's, the worst-served person by name, the notes."""
    from meute.engine.rotations import best_bound, schedule_figures, worst_served

    try:
        bound = best_bound(instance) if instance.n <= 600 else None
    except Exception:  # a bound is a nicety; the plan stands without it
        bound = None
    fig = schedule_figures(instance, rounds, bound=bound)
    worst = worst_served(instance, rounds)
    if worst is not None:
        who, share = worst
        fig["worst_registration_id"] = regs[who].pk
        fig["worst_name"] = regs[who].person.full_name
        fig["worst_share_percent"] = round(100 * share, 1)
    if "ratio_bound" in fig:
        fig["ratio_bound_percent"] = round(100 * float(fig["ratio_bound"]), 1)
    fig["notes"] = stored_notes(notes, {str(r.pk): r.person.full_name for r in regs})
    return fig


def reoptimise_around(
    instance: PairingInstance, rounds: Rounds, fixed_rounds: list[int]
) -> tuple[Rounds, list[str], list[str]]:
    """Keep the rounds holding locked meetings as they are and repair the others around them.

    The rounds with a locked meeting are put first and frozen, the other rounds
    follow and are rebuilt by the engine's re-planner, keeping every planned
    meeting that is still possible; then the rounds go back in their places.
    One-to-one plans use :func:`meute.engine.rotations.replan` (a meeting now
    made in a locked round is dropped elsewhere, and the two people left alone
    are re-paired over pairs that never met); tables of k use
    :func:`meute.engine.rotations.replan_tables` (whoever would meet someone
    again leaves that table and takes the free seat, or the swap, that repeats
    nothing).

    Returns the rounds, the engine's notes and what the engine's re-plan
    checker (:func:`meute.engine.rotations.is_valid_replan`) finds broken:
    a hand change that seats colleagues together, or a frozen round changed.
    """
    from meute.engine.rotations import is_valid_replan, replan

    R = len(rounds)
    others = [r for r in range(R) if r not in fixed_rounds]
    if not others:
        return rounds, [], rule_breaks(instance, rounds)
    order = fixed_rounds + others
    ordered = [rounds[r] for r in order]
    start = len(fixed_rounds) + 1
    res = replan(instance, ordered, from_round=start)  # tables of 3+ go to replan_tables
    errors = is_valid_replan(instance, ordered, res.rounds, from_round=start)
    out: Rounds = [[] for _ in range(R)]
    for pos, r in enumerate(order):
        out[r] = res.rounds[pos]
    return clean_rounds(out), list(res.notes), errors
