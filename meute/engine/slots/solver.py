"""Booked meetings: place requested one-to-one meetings into time slots and tables.

Input ``meute.slots-instance/1``, output ``meute.slot-plan/1`` (docs/formats.md,
:mod:`meute.engine.slots.instance`).
Hard rules: a person meets only in slots where they are available and at most
once per slot; a table holds one meeting per slot; ``0 <= table < tables``.
Objectives, in order: the priority placed (then the number of meetings placed),
then the idle gaps in each person's day (free, available slots between their
first and last meeting).

The solver is a greedy by priority and scarcity, repaired by ejection chains
(move the meetings in the way to other slots, recursively, or drop cheaper
ones) and refilling swaps, then a gap-compaction pass that only moves or swaps
slots, never drops a meeting. Tables are a capacity per slot; the numbers are
handed out at the end, keeping a busy person at one "home" table where
possible. See docs/algorithms/slots.md.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

from meute.engine.slots.checker import gaps, slot_mask
from meute.engine.slots.instance import Placement, SlotPlan, SlotsInstance

__all__ = ["plan_meetings"]


def _bits(mask: int) -> Iterator[int]:
    """The slots of a bitmask, lowest first: ``list(_bits(0b1010)) == [1, 3]``."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Day:
    """The mutable state of the search: who is busy when, how full each slot is.

    Slots are bits of Python ints, so "both free and the slot not full" is one
    AND of four integers: the search stays fast without numpy.
    """

    def __init__(self, instance: SlotsInstance, rng: random.Random) -> None:
        self.inst = instance
        self.rng = rng
        self.n_s = instance.slots
        self.cap = instance.tables
        self.a = [m.a for m in instance.meetings]
        self.b = [m.b for m in instance.meetings]
        self.w = [m.priority for m in instance.meetings]
        self.avail = [slot_mask(av) for av in instance.available]
        self.common = [self.avail[m.a] & self.avail[m.b] for m in instance.meetings]
        self.busy = [0] * len(instance.participants)
        self.who = [[-1] * instance.slots for _ in instance.participants]
        self.slot_of = [-1] * len(instance.meetings)
        self.count = [0] * instance.slots
        self.in_slot: list[set[int]] = [set() for _ in range(instance.slots)]
        self.full = 0

    # -- elementary moves (every search step is a sequence of these, undone in reverse)
    def place(self, m: int, s: int) -> None:
        a, b = self.a[m], self.b[m]
        self.who[a][s] = m
        self.who[b][s] = m
        self.busy[a] |= 1 << s
        self.busy[b] |= 1 << s
        self.slot_of[m] = s
        self.in_slot[s].add(m)
        self.count[s] += 1
        if self.count[s] >= self.cap:
            self.full |= 1 << s

    def remove(self, m: int) -> int:
        s = self.slot_of[m]
        a, b = self.a[m], self.b[m]
        self.who[a][s] = -1
        self.who[b][s] = -1
        self.busy[a] &= ~(1 << s)
        self.busy[b] &= ~(1 << s)
        self.slot_of[m] = -1
        self.in_slot[s].discard(m)
        self.count[s] -= 1
        self.full &= ~(1 << s)
        return s

    def free_slots(self, m: int) -> int:
        return self.common[m] & ~self.busy[self.a[m]] & ~self.busy[self.b[m]] & ~self.full

    def gap_delta(self, m: int, s: int) -> int:
        """Change of idle gaps if unplaced meeting m went to slot s."""
        d = 0
        for p in (self.a[m], self.b[m]):
            d += gaps(self.busy[p] | (1 << s), self.avail[p]) - gaps(self.busy[p], self.avail[p])
        return d

    def best_slot(self, m: int, free: int) -> int:
        """Among the free slots (bitmask), the one that adds the fewest idle gaps.

        Ties go to the emptier slot, so that capacity stays spread over the day
        for the meetings still to come, then at random (seeded).
        """
        best, best_key = -1, None
        for s in _bits(free):
            key = (self.gap_delta(m, s), self.count[s], self.rng.random())
            if best_key is None or key < best_key:
                best, best_key = s, key
        return best

    def place_free(self, m: int, log: list[tuple[str, int, int]]) -> bool:
        """Place unplaced meeting m in its best free slot, if it has one (logged for undo)."""
        free = self.free_slots(m)
        if not free:
            return False
        s = self.best_slot(m, free)
        self.place(m, s)
        log.append(("place", m, s))
        return True

    # -- ejection chains
    def relocate(
        self,
        m: int,
        depth: int,
        tabu: set[int],
        budget: list[int],
        allowance: list[int],
        log: list[tuple[str, int, int]],
    ) -> bool:
        """Place unplaced meeting m, moving the meetings in its way (recursively, up to depth).

        A meeting in the way that finds no place may be dropped if its priority fits
        in ``allowance`` (what the chain may still lose and gain overall). Every
        change is appended to ``log`` so the caller can undo a failed chain.
        """
        if self.place_free(m, log):
            return True
        if depth > 0 and budget[0] > 0 and self._chain(m, depth, tabu, budget, allowance, log):
            return True
        if m not in tabu and self.w[m] <= allowance[0]:
            # m was pushed out by the chain: losing it still leaves a strict gain.
            allowance[0] -= self.w[m]
            log.append(("drop", m, -1))
            return True
        return False

    def _chain(
        self,
        m: int,
        depth: int,
        tabu: set[int],
        budget: list[int],
        allowance: list[int],
        log: list[tuple[str, int, int]],
    ) -> bool:
        a, b = self.a[m], self.b[m]
        candidates = []
        for s in _bits(self.common[m]):
            blockers = {x for x in (self.who[a][s], self.who[b][s]) if x >= 0}
            if blockers & tabu:
                continue
            # A full slot with nobody of ours in it needs one other meeting moved out.
            capacity = not blockers and self.count[s] >= self.cap
            cost = sum(self.w[x] for x in blockers)
            candidates.append((len(blockers) + capacity, cost, self.rng.random(), s, blockers, capacity))
        candidates.sort(key=lambda c: c[:3])
        for _, _, _, s, blockers, capacity in candidates:
            budget[0] -= 1
            if budget[0] <= 0:
                return False
            mark, saved = len(log), allowance[0]
            if capacity:
                # Only meetings that can leave in one move (or be dropped): a deeper
                # search inside a full slot explodes and rarely pays.
                movable = [x for x in self.in_slot[s] if x not in tabu]
                self.rng.shuffle(movable)
                out = None
                for x in movable[:40]:
                    if self.free_slots(x) & ~(1 << s):
                        out = x
                        break
                if out is None:
                    cheap = [x for x in movable if self.w[x] <= allowance[0]]
                    if not cheap:
                        continue
                    out = min(cheap, key=lambda x: self.w[x])
                log.append(("remove", out, self.remove(out)))
                self.place(m, s)
                log.append(("place", m, s))
                if self.relocate(out, 0, tabu | {m}, budget, allowance, log):
                    return True
                self.undo(log, mark)
                allowance[0] = saved
                continue
            for x in blockers:
                log.append(("remove", x, self.remove(x)))
            self.place(m, s)
            log.append(("place", m, s))
            tabu2 = tabu | blockers | {m}
            # Each blocker may not come back to s: tabu2 holds it only for the others.
            ok = True
            for x in blockers:
                if not self.relocate(x, depth - 1, tabu2 - {x}, budget, allowance, log):
                    ok = False
                    break
            if ok:
                return True
            self.undo(log, mark)
            allowance[0] = saved
        return False

    def undo(self, log: list[tuple[str, int, int]], mark: int) -> None:
        while len(log) > mark:
            op, m, s = log.pop()
            if op == "place":
                self.remove(m)
            elif op == "remove":
                self.place(m, s)

    def swap_in(
        self,
        m: int,
        waiting: list[list[int]],
        log: list[tuple[str, int, int]],
        *,
        neutral: bool = False,
        protected: set[int] | None = None,
    ) -> bool:
        """Place m in place of the meetings in its way, if refilling the freed room gains priority.

        The ejected meetings try other free slots, and the freed people's waiting
        meetings try the freed slot: e.g. one priority-3 meeting out, a 3 and a 2 in.
        With ``neutral``, a swap that keeps the priority placed is accepted too, but
        never one that ejects a ``protected`` meeting.
        """
        a, b, w = self.a[m], self.b[m], self.w[m]
        options = []
        for s in _bits(self.common[m]):
            blockers = {x for x in (self.who[a][s], self.who[b][s]) if x >= 0}
            if not blockers and self.count[s] >= self.cap:
                blockers = {min(self.in_slot[s], key=lambda x: (self.w[x], self.rng.random()))}
            options.append((sum(self.w[x] for x in blockers), self.rng.random(), s, blockers))
        options.sort(key=lambda o: o[:2])
        for cost, _, s, blockers in options[:6]:
            if protected and blockers & protected:
                continue
            mark = len(log)
            for x in blockers:
                log.append(("remove", x, self.remove(x)))
            self.place(m, s)
            log.append(("place", m, s))
            gain = w - cost
            for x in blockers:
                if self.place_free(x, log):
                    gain += self.w[x]
            freed = {self.a[x] for x in blockers} | {self.b[x] for x in blockers}
            for p in freed - {a, b}:
                for y in waiting[p][:12]:
                    if self.slot_of[y] < 0 and y not in blockers and self.place_free(y, log):
                        gain += self.w[y]
            if gain > 0 or (neutral and gain == 0):
                return True
            self.undo(log, mark)
        return False

    # -- gap compaction
    def compact(self, rounds: int, deadline: float | None) -> None:
        """Move or swap meeting slots while idle gaps drop; placements never change."""
        n_m = len(self.a)
        order = list(range(n_m))
        for _ in range(rounds):
            improved = False
            self.rng.shuffle(order)
            for m in order:
                s = self.slot_of[m]
                if s < 0:
                    continue
                if deadline is not None and time.perf_counter() > deadline:
                    return
                a, b = self.a[m], self.b[m]
                before = gaps(self.busy[a], self.avail[a]) + gaps(self.busy[b], self.avail[b])
                if before == 0:
                    continue
                # Move to a free slot.
                self.remove(m)
                free = self.free_slots(m)
                best, best_d = s, 0
                base = gaps(self.busy[a], self.avail[a]) + gaps(self.busy[b], self.avail[b])
                for t in _bits(free):
                    d = self.gap_delta(m, t) + base - before
                    if d < best_d:
                        best, best_d = t, d
                # Full slots that would suit m better: candidates for a trade below.
                full_better = []
                bits = self.common[m] & ~self.busy[a] & ~self.busy[b] & self.full
                for t in _bits(bits):
                    d = self.gap_delta(m, t) + base - before
                    if d < 0:
                        full_better.append((d, t))
                self.place(m, best)
                if best != s:
                    improved = True
                    continue
                if full_better and self._trade(m, sorted(full_better)):
                    improved = True
                    continue
                # Swap with another meeting of a or b: the shared person keeps the
                # same slots, the two partners trade theirs.
                if self._swap(m):
                    improved = True
                    continue
                if self._kempe(m):
                    improved = True
            if not improved:
                return

    def _kempe(self, m: int, limit: int = 24) -> bool:
        """Exchange slots s and t for the whole chain of meetings linked to m, if gaps drop.

        The chain (a Kempe chain) holds m and, repeatedly, the meeting each of its
        people has in the other slot; swapping s and t for all of it keeps every
        person at one meeting per slot. Everyone in it must be available in both.
        """
        s = self.slot_of[m]
        a, b = self.a[m], self.b[m]
        flip = 0
        for t in range(self.n_s):
            if t == s or not (self.common[m] >> t) & 1:
                continue
            # Worth a chain only if m's own two people gain from the exchange.
            flip = (1 << s) | (1 << t)
            own = 0
            for p in (a, b):
                bp = self.busy[p]
                nb = bp ^ flip if ((bp >> s) & 1) != ((bp >> t) & 1) else bp
                own += gaps(nb, self.avail[p]) - gaps(bp, self.avail[p])
            if own >= 0:
                continue
            chain = {m}
            todo = [m]
            ok = True
            while todo and ok:
                x = todo.pop()
                other = t if self.slot_of[x] == s else s
                for p in (self.a[x], self.b[x]):
                    if not (self.avail[p] >> s) & 1 or not (self.avail[p] >> t) & 1:
                        ok = False
                        break
                    y = self.who[p][other]
                    if y >= 0 and y not in chain:
                        chain.add(y)
                        todo.append(y)
                if len(chain) > limit:
                    ok = False
            if not ok or len(chain) == 1:
                # A chain of m alone is a plain move, already tried.
                continue
            in_s = sum(1 for x in chain if self.slot_of[x] == s)
            in_t = len(chain) - in_s
            if self.count[s] - in_s + in_t > self.cap or self.count[t] - in_t + in_s > self.cap:
                continue
            people = {self.a[x] for x in chain} | {self.b[x] for x in chain}
            before = after = 0
            for p in people:
                bp = self.busy[p]
                # p is in the chain in s, t or both: exchanging the two bits flips them
                # when exactly one is set, and changes nothing when both are.
                nb = bp ^ flip if ((bp >> s) & 1) != ((bp >> t) & 1) else bp
                before += gaps(bp, self.avail[p])
                after += gaps(nb, self.avail[p])
            if after < before:
                moves = [(x, t if self.slot_of[x] == s else s) for x in chain]
                for x, _ in moves:
                    self.remove(x)
                for x, u in moves:
                    self.place(x, u)
                return True
        return False

    def _trade(self, m: int, targets: list[tuple[int, int]]) -> bool:
        """Trade slots with a meeting of a full slot t (capacity is unchanged) if gaps drop."""
        s = self.slot_of[m]
        bit_s = 1 << s
        for gain, t in targets:
            for x in self.in_slot[t]:
                xa, xb = self.a[x], self.b[x]
                # x's people must be free and available in s (m's people are moving out of s,
                # but they are not x's: x sits in t where m's people are free).
                if not self.common[x] & bit_s or (self.busy[xa] | self.busy[xb]) & bit_s:
                    continue
                self.remove(x)
                dx = self.gap_delta(x, s) + (
                    gaps(self.busy[xa], self.avail[xa])
                    + gaps(self.busy[xb], self.avail[xb])
                    - gaps(self.busy[xa] | 1 << t, self.avail[xa])
                    - gaps(self.busy[xb] | 1 << t, self.avail[xb])
                )
                if gain + dx < 0:
                    self.remove(m)
                    self.place(m, t)
                    self.place(x, s)
                    return True
                self.place(x, t)
        return False

    def _swap(self, m: int) -> bool:
        s = self.slot_of[m]
        for p in (self.a[m], self.b[m]):
            q = self.b[m] if p == self.a[m] else self.a[m]
            for t in range(self.n_s):
                x = self.who[p][t]
                if x < 0 or x == m:
                    continue
                r = self.b[x] if self.a[x] == p else self.a[x]
                # q goes to t, r goes to s.
                if not (self.avail[q] >> t) & 1 or (self.busy[q] >> t) & 1:
                    continue
                if not (self.avail[r] >> s) & 1 or (self.busy[r] >> s) & 1:
                    continue
                bq, br = self.busy[q], self.busy[r]
                before = gaps(bq, self.avail[q]) + gaps(br, self.avail[r])
                nq = (bq & ~(1 << s)) | (1 << t)
                nr = (br & ~(1 << t)) | (1 << s)
                if gaps(nq, self.avail[q]) + gaps(nr, self.avail[r]) < before:
                    self.remove(m)
                    self.remove(x)
                    self.place(m, t)
                    self.place(x, s)
                    return True
        return False

    def total_gaps(self) -> int:
        return sum(gaps(b, a) for b, a in zip(self.busy, self.avail, strict=True))


def _assign_tables(day: _Day) -> dict[int, int]:
    """Table numbers for the placed meetings, keeping busy people at a "home" table.

    People are given home tables, busiest first, sharing a table only with people
    whose meeting slots never overlap theirs; in each slot a meeting sits at the
    home table of one of its two people when that table is still free, else at the
    lowest free table. Any free table is valid: this only spares people walking.
    """
    n_p, cap = len(day.busy), day.cap
    home = [-1] * n_p
    table_busy = [0] * cap
    for p in sorted(range(n_p), key=lambda p: -day.busy[p].bit_count()):
        if not day.busy[p]:
            break
        for t in range(cap):
            if not table_busy[t] & day.busy[p]:
                home[p] = t
                table_busy[t] |= day.busy[p]
                break
    table_of: dict[int, int] = {}
    for s in range(day.n_s):
        taken: set[int] = set()
        rest = []
        for m in sorted(day.in_slot[s]):
            for p in (day.a[m], day.b[m]):
                if home[p] >= 0 and home[p] not in taken:
                    table_of[m] = home[p]
                    taken.add(home[p])
                    break
            else:
                rest.append(m)
        free = (t for t in range(cap) if t not in taken)
        for m in rest:
            table_of[m] = next(free)
    return table_of


def plan_meetings(instance: SlotsInstance, *, seed: int = 0, time_limit: float | None = None) -> SlotPlan:
    """Place as much priority as possible, then compact everyone's day.

    Parameters
    ----------
    instance : SlotsInstance
    seed : int
        Seeds every random tie-break: same seed, same plan (without ``time_limit``).
    time_limit : float, optional
        Seconds after which the repair and compaction passes stop early. Without
        it the search runs a fixed amount of work, so results are reproducible.

    Returns
    -------
    SlotPlan
        A plan that ``is_valid_plan`` accepts.

    Notes
    -----
    Greedy: meetings by priority (high first), then fewest common slots; each goes
    to the free slot adding the fewest idle gaps, O(M S). Repair, for each unplaced
    meeting: an ejection chain of depth 3 (move the meetings in the way to other
    slots, recursively; a chain may drop meetings worth strictly less than the one
    it places) within a budget of 40 node visits, else a swap that ejects the
    meetings in the way and refills the room they free if that gains priority.
    Every accepted move raises the priority placed (or keeps it and places one
    more), so the passes end. Then, on days of up to 3,000 requests, six rounds of
    sideways swaps (equal priority in and out) each followed by improving passes,
    to leave local optima. Compaction: first-improvement moves, swaps between two
    meetings of one person, and trades with a full slot, O(M S) per pass. A
    repair pass costs O(U S x budget) for U unplaced meetings; days of 2,500 and
    6,000 requests take a few seconds.

    Examples
    --------
    >>> from meute.engine.slots import parse_instance
    >>> inst = parse_instance({"format": "meute.slots-instance/1", "slots": 2, "tables": 5,
    ...     "participants": [{"id": x, "available": [0, 1]} for x in "abc"],
    ...     "meetings": [{"id": "ab", "between": ["a", "b"]}, {"id": "bc", "between": ["b", "c"]},
    ...                  {"id": "ac", "between": ["a", "c"]}]})
    >>> len(plan_meetings(inst).placed)
    2
    """
    rng = random.Random(seed)
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    day = _Day(instance, rng)
    n_m = len(instance.meetings)
    load = [0] * len(instance.participants)
    for meeting in instance.meetings:
        load[meeting.a] += 1
        load[meeting.b] += 1
    # Pressure of a person: requests per available slot. Among equal priorities,
    # meetings with little room (few common slots, crowded people) go first.
    pressure = [load[p] / max(1, av.bit_count()) for p, av in enumerate(day.avail)]
    order = sorted(
        range(n_m),
        key=lambda m: (
            -day.w[m],
            day.common[m].bit_count(),
            -(pressure[day.a[m]] + pressure[day.b[m]]),
            rng.random(),
        ),
    )
    unplaced: set[int] = set()
    for m in order:
        free = day.free_slots(m)
        if free:
            day.place(m, day.best_slot(m, free))
        elif day.common[m]:
            unplaced.add(m)

    def out_of_time() -> bool:
        return deadline is not None and time.perf_counter() > deadline

    # Meetings each person is still waiting for, best first (swap_in refills from these).
    waiting: list[list[int]] = [[] for _ in instance.participants]
    for m in sorted(unplaced, key=lambda m: -day.w[m]):
        waiting[day.a[m]].append(m)
        waiting[day.b[m]].append(m)

    all_slots = (1 << instance.slots) - 1
    cheapest = min(day.w, default=0)

    # Bumped when a kept move changes a person's day: a meeting that failed to get
    # in is not retried until one of its two people's days (or the full slots) moved.
    changed = [0] * len(instance.participants)

    def settle(log: list[tuple[str, int, int]]) -> None:
        for _, x, _ in log:
            changed[day.a[x]] += 1
            changed[day.b[x]] += 1
            if day.slot_of[x] >= 0:
                unplaced.discard(x)
            else:
                unplaced.add(x)
                if x not in waiting[day.a[x]]:
                    waiting[day.a[x]].append(x)
                    waiting[day.b[x]].append(x)

    failed: dict[int, tuple[int, int, int]] = {}

    def improve() -> bool:
        """One pass of strictly improving moves over the unplaced meetings, best first."""
        progress = False
        for m in sorted(unplaced, key=lambda m: (-day.w[m], day.common[m].bit_count(), m)):
            if out_of_time():
                break
            if day.slot_of[m] >= 0:
                continue
            signature = (changed[day.a[m]], changed[day.b[m]], day.full)
            if failed.get(m) == signature:
                continue
            log: list[tuple[str, int, int]] = []
            # With every slot full a chain must end by dropping a meeting; when even
            # the cheapest costs too much, skip the (fruitless, costly) search.
            hopeless = day.full == all_slots and day.w[m] - 1 < cheapest
            ok = not hopeless and day.relocate(m, 3, {m}, [40], [day.w[m] - 1], log)
            if not ok and day.w[m] > 0:
                ok = day.swap_in(m, waiting, log)
            if ok:
                progress = True
                settle(log)
            else:
                failed[m] = signature
        for p in range(len(waiting)):
            waiting[p] = sorted((x for x in waiting[p] if day.slot_of[x] < 0), key=lambda x: -day.w[x])
        return progress

    def sideways() -> None:
        """One pass of neutral swaps (same priority in and out), to leave a local optimum.

        A meeting swapped in is protected for the rest of the pass, so the pass
        does not undo itself; the priority placed never drops.
        """
        protected: set[int] = set()
        pool = sorted(unplaced)
        rng.shuffle(pool)
        for m in pool:
            if out_of_time():
                return
            if day.slot_of[m] >= 0 or day.w[m] == 0 or m in protected:
                continue
            log: list[tuple[str, int, int]] = []
            if day.swap_in(m, waiting, log, neutral=True, protected=protected):
                protected.update(x for _, x, _ in log if day.slot_of[x] >= 0)
                settle(log)

    # Repair: ejection chains (that may drop strictly cheaper meetings), then
    # swaps that refill the room they free. Several passes, because a meeting that
    # failed early may fit after later moves. Every accepted move raises the
    # priority placed, or keeps it and places one more meeting: the loop ends.
    # Then a few rounds of sideways swaps, each followed by improving passes:
    # cheap on days of a few thousand requests, skipped on larger ones.
    for _ in range(4):
        if not unplaced or out_of_time() or not improve():
            break
    kicks = 6 if n_m <= 1500 else 3 if n_m <= 3000 else 0
    for _ in range(kicks):
        if not unplaced or out_of_time():
            break
        sideways()
        for _ in range(2):
            if out_of_time() or not improve():
                break

    day.compact(rounds=20, deadline=deadline)
    tables = _assign_tables(day)
    placed = sorted(
        (
            Placement(instance.meetings[m].id, day.slot_of[m], tables[m])
            for m in range(n_m)
            if day.slot_of[m] >= 0
        ),
        key=lambda p: (p.slot, p.table),
    )
    return SlotPlan(tuple(placed))
