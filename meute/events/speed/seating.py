"""Seats of a plan: reading the saved rounds, numbering tables, saving rounds and reasons.

A rebuilt round keeps the table numbers people already know wherever it can
(:func:`number_tables`); a seat whose table or partners change is marked with
the plan's new version, so agendas can highlight what changed.
"""

from __future__ import annotations

from collections import defaultdict

from meute.engine.relevance import RelevanceResult
from meute.engine.rotations import PairingInstance, Rounds
from meute.events.models import PairReason, Registration, RotationPlan, Seat
from meute.events.speed.solving import pairs_of


def load_rounds(plan: RotationPlan, index: dict[int, int]) -> tuple[Rounds, dict[int, dict[int, int]]]:
    """The saved schedule as engine rounds, and each round's table numbers (position -> number)."""
    grouped: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for round_no, table_no, reg_id in Seat.objects.filter(plan=plan).values_list(
        "round_no", "table_no", "registration_id"
    ):
        if reg_id in index:
            grouped[round_no][table_no].append(index[reg_id])
    rounds: Rounds = []
    numbers: dict[int, dict[int, int]] = {}
    for r in range(1, plan.rounds + 1):
        tables = sorted(grouped[r].items())
        rounds.append([sorted(members) for _n, members in tables])
        numbers[r] = {k: n for k, (n, _m) in enumerate(tables)}
    return rounds, numbers


def number_tables(
    new: list[list[int]], old: list[list[int]], old_numbers: dict[int, int], first: int
) -> list[int]:
    """Table numbers for a rebuilt round: a table keeps the number of the old table it overlaps most."""
    taken: set[int] = set()
    numbers: list[int | None] = [None] * len(new)
    order = sorted(range(len(new)), key=lambda k: -max((len(set(new[k]) & set(o)) for o in old), default=0))
    for k in order:
        best, best_overlap = None, 0
        for j, o in enumerate(old):
            overlap = len(set(new[k]) & set(o))
            number = old_numbers.get(j, first + j)
            if overlap > best_overlap and number not in taken:
                best, best_overlap = number, overlap
        if best is not None:
            numbers[k] = best
            taken.add(best)
    nxt = first
    for k in range(len(new)):
        if numbers[k] is None:
            while nxt in taken:
                nxt += 1
            numbers[k] = nxt
            taken.add(nxt)
    return [int(n) for n in numbers if n is not None]


def _signature(
    rounds: Rounds, numbers: dict[int, list[int]] | dict[int, dict[int, int]]
) -> dict[tuple[int, int], tuple[int, frozenset[int]]]:
    out = {}
    for r, tables in enumerate(rounds, start=1):
        for k, t in enumerate(tables):
            number = numbers[r][k]
            for i in t:
                out[(r, i)] = (number, frozenset(x for x in t if x != i))
    return out


def save_rounds(
    plan: RotationPlan,
    regs: list[Registration],
    rounds: Rounds,
    numbers: dict[int, list[int]],
    *,
    from_round: int,
    version: int,
    locked: set[tuple[int, int]] | None = None,
) -> set[int]:
    """Replace the seats of rounds >= from_round; return the registration ids whose seats changed.

    A seat keeps its `locked` flag and its `changed_in_version` when its table
    and partners stay the same; otherwise it is marked changed in `version`.
    """
    index = {r.pk: k for k, r in enumerate(regs)}
    old_seats = {
        (s.round_no, s.registration_id): s for s in Seat.objects.filter(plan=plan, round_no__gte=from_round)
    }
    old_rounds, old_numbers = load_rounds(plan, index)
    before = _signature(old_rounds, old_numbers)
    after = _signature(rounds, numbers)
    changed: set[int] = set()
    for (r, i), sig in before.items():
        if r >= from_round and after.get((r, i)) != sig:
            changed.add(regs[i].pk)
    new_seats = []
    for (r, i), sig in after.items():
        if r < from_round:
            continue
        reg_id = regs[i].pk
        old = old_seats.get((r, reg_id))
        same = old is not None and before.get((r, i)) == sig
        if not same:
            changed.add(reg_id)
        new_seats.append(
            Seat(
                plan=plan,
                round_no=r,
                table_no=sig[0],
                registration_id=reg_id,
                locked=(old.locked if same and old else False) or (locked is not None and (r, i) in locked),
                changed_in_version=(old.changed_in_version if same and old else version),
            )
        )
    Seat.objects.filter(plan=plan, round_no__gte=from_round).delete()
    Seat.objects.bulk_create(new_seats)
    return changed


def save_reasons(
    plan: RotationPlan,
    regs: list[Registration],
    instance: PairingInstance,
    result: RelevanceResult,
    rounds: Rounds,
) -> None:
    why = {tuple(sorted(r.between)): r.why for r in result.reasons}
    caution = {tuple(sorted(r.between)): r.caution for r in result.reasons}
    PairReason.objects.filter(plan=plan).delete()
    rows = []
    for a, b in sorted(pairs_of(t for tables in rounds for t in tables)):
        first, second = sorted((regs[a].pk, regs[b].pk))
        key = tuple(sorted((str(regs[a].pk), str(regs[b].pk))))
        rows.append(
            PairReason(
                plan=plan,
                first_id=first,
                second_id=second,
                weight=int(instance.weights[a, b]),
                why=why.get(key, ""),
                caution=caution.get(key, ""),
            )
        )
    PairReason.objects.bulk_create(rows)


def locked_positions(plan: RotationPlan, index: dict[int, int]) -> set[tuple[int, int]]:
    return {
        (r, index[reg])
        for r, reg in Seat.objects.filter(plan=plan, locked=True).values_list("round_no", "registration_id")
        if reg in index
    }


def seats_replace(plan: RotationPlan, regs: list[Registration], rounds: Rounds) -> None:
    """Replace every seat of the plan by a freshly solved schedule, tables numbered from `first_table`."""
    Seat.objects.filter(plan=plan).delete()
    Seat.objects.bulk_create(
        Seat(plan=plan, round_no=r, table_no=plan.first_table + k, registration_id=regs[i].pk)
        for r, tables in enumerate(rounds, start=1)
        for k, t in enumerate(tables)
        for i in t
    )


def number_rounds(
    plan: RotationPlan, new_rounds: Rounds, old_rounds: Rounds, old_numbers: dict[int, dict[int, int]]
) -> dict[int, list[int]]:
    """Table numbers of every rebuilt round (see :func:`number_tables`), by round number."""
    return {
        r: number_tables(new_rounds[r - 1], old_rounds[r - 1], old_numbers[r], plan.first_table)
        for r in range(1, plan.rounds + 1)
    }
