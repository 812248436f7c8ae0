"""Speed meetings: the bridge between the events app and the engine.

Services (writes, one transaction each, keyword-only arguments) and selectors
(reads) for rotation plans. This module is the only place that turns rows into
engine inputs (:mod:`meute.engine.relevance`, :mod:`meute.engine.rotations`,
:mod:`meute.engine.tables`, :mod:`meute.engine.replan`) and engine outputs back
into rows (:class:`Seat`, :class:`PairReason`, ``RotationPlan.figures``).

Who takes part
    Confirmed registrations (walk-ins are confirmed registrations too), minus
    those marked absent or excused at check-in.

Consent
    A person's profile text (offers, seeks, tags, activity code, decision-maker
    flag) and their wishes feed the relevance score only if their latest
    matchmaking decision (``ConsentPurpose.MATCHMAKING``) is a yes. People who
    did not consent are still seated, with a neutral profile: they meet
    whoever the others' scores leave, never their colleagues, and nobody's
    wish to meet them counts. Their *avoid* list is always honoured: avoiding
    someone is a safety request, not profiling.

    What the other participants see follows the same decision, read when the
    page or document is made (a person may change their mind after the plan
    was computed): someone who did not consent is not offered on the profile
    page's lists of people to meet or avoid, and their table partners (web
    agenda, PDF, calendar file, printed table cards, badges and wall chart)
    see their name only, with no function, company, offer or reason for the
    meeting (:func:`partner_card`). The organiser's plan page keeps names and
    companies, which they need to run the evening; their view of one
    participant's agenda shows what that participant sees.

Versions
    ``plan.version`` is 0 until the first publication, then grows by one at each
    publication and at each change made after publication (swap, re-plan). A
    seat whose table or table partners change gets ``changed_in_version`` set
    to the new version, so agendas can highlight what changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Consent, ConsentPurpose
from meute.engine.errors import EngineInputError, InfeasibleError
from meute.engine.relevance import Profile, RelevanceResult, score_profiles, to_pairing_instance
from meute.engine.rotations import PairingInstance, Rounds, parse_instance
from meute.events.engine_notes import stored_notes
from meute.events.models import (
    Attendance,
    Event,
    EventKind,
    PairReason,
    PlanStatus,
    Registration,
    RegistrationStatus,
    RotationPlan,
    Seat,
)

logger = logging.getLogger(__name__)

GONE = (Attendance.ABSENT, Attendance.EXCUSED)
ARRIVED = (Attendance.PRESENT, Attendance.LATE)
FORMAT_FIELDS = ("table_size", "rounds", "round_minutes", "break_minutes", "first_table")


# --------------------------------------------------------------------------- reads


def is_speed_event(event: Event) -> bool:
    return event.kind == EventKind.SPEED


def plan_of(event: Event) -> RotationPlan | None:
    return RotationPlan.objects.filter(event=event).first()


def participants(event: Event) -> list[Registration]:
    """The people to seat: confirmed registrations not marked absent or excused."""
    return list(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .exclude(attendance__in=GONE)
        .select_related("person", "person__organisation", "person__organisation__naf")
        .prefetch_related("wishes", "avoids")
        .order_by("pk")
    )


def round_times(event: Event, plan: RotationPlan, round_no: int) -> tuple[dt.datetime, dt.datetime]:
    """Start and end of a round (1-based): event start + (round - 1) x (round + break)."""
    step = dt.timedelta(minutes=plan.round_minutes + plan.break_minutes)
    start = event.starts_at + (round_no - 1) * step
    return start, start + dt.timedelta(minutes=plan.round_minutes)


@dataclass(frozen=True)
class PartnerCard:
    """What a participant is shown of a table partner (empty fields: not to be shown)."""

    registration_id: int
    name: str
    job_title: str = ""
    company: str = ""
    offers: str = ""
    why: str = ""

    @property
    def details(self) -> str:
        """Function and company, as one line."""
        return ", ".join(x for x in (self.job_title, self.company) if x)


def partner_card(registration: Registration, *, shared: bool, why: str = "") -> PartnerCard:
    """The card of one participant for the others; `shared`: they consent to matchmaking.

    Without consent the card holds the name only: their partners need it to
    find them at the table, nothing more.
    """
    person = registration.person
    if not shared:
        return PartnerCard(registration_id=registration.pk, name=person.full_name)
    org = person.organisation
    return PartnerCard(
        registration_id=registration.pk,
        name=person.full_name,
        job_title=person.job_title or "",
        company=org.name if org else "",
        offers=registration.offers,
        why=why,
    )


@dataclass
class AgendaRow:
    """One round of one participant's agenda (``partners`` empty: a break)."""

    round_no: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    table_no: int | None = None
    partners: list[PartnerCard] = field(default_factory=list)
    changed: bool = False
    locked: bool = False


def reasons_map(plan: RotationPlan) -> dict[tuple[int, int], str]:
    """Why each pair of the plan meets, by (smaller, larger) registration id."""
    return {(r.first_id, r.second_id): r.why for r in PairReason.objects.filter(plan=plan)}


def plan_cautions(plan: RotationPlan) -> dict[tuple[int, int], str]:
    """The organiser's cautions on seated pairs (probable competitors), by registration ids."""
    rows = PairReason.objects.filter(plan=plan).exclude(caution="")
    return {(r.first_id, r.second_id): r.caution for r in rows}


def shared_reasons(plan: RotationPlan, shared: set[int]) -> dict[tuple[int, int], str]:
    """The reasons that may be shown: both people consent to matchmaking today.

    A reason was written from both profiles when the plan was computed; it is
    withheld once either person no longer consents.
    """
    return {pair: why for pair, why in reasons_map(plan).items() if pair[0] in shared and pair[1] in shared}


def agenda(plan: RotationPlan, registration: Registration) -> list[AgendaRow]:
    """A participant's agenda, round by round: table, partners' cards and the reasons.

    A partner who does not consent to matchmaking appears by name only, and
    no reason is given for a meeting with them (see :func:`partner_card`).
    """
    event = plan.event
    mine = {s.round_no: s for s in Seat.objects.filter(plan=plan, registration=registration)}
    tables = {(s.round_no, s.table_no) for s in mine.values()}
    mates: dict[int, list[Registration]] = defaultdict(list)
    for s in (
        Seat.objects.filter(plan=plan, round_no__in=[r for r, _t in tables])
        .exclude(registration=registration)
        .select_related("registration__person", "registration__person__organisation")
    ):
        if (s.round_no, s.table_no) in tables:
            mates[s.round_no].append(s.registration)
    shared = shared_profile_ids([registration, *(p for ps in mates.values() for p in ps)])
    why = shared_reasons(plan, shared)
    rows = []
    for r in range(1, plan.rounds + 1):
        start, end = round_times(event, plan, r)
        row = AgendaRow(round_no=r, starts_at=start, ends_at=end)
        seat = mine.get(r)
        if seat is not None:
            row.table_no = seat.table_no
            row.changed = bool(plan.version) and seat.changed_in_version == plan.version
            row.locked = seat.locked
            for p in sorted(mates[r], key=lambda x: (x.person.last_name, x.person.first_name)):
                pair = (min(registration.pk, p.pk), max(registration.pk, p.pk))
                row.partners.append(partner_card(p, shared=p.pk in shared, why=why.get(pair, "")))
        rows.append(row)
    return rows


def plan_tables(plan: RotationPlan) -> list[tuple[int, list[tuple[int, list[Seat]]]]]:
    """The plan as ``[(round_no, [(table_no, seats), ...]), ...]`` for the organiser."""
    seats = Seat.objects.filter(plan=plan).select_related(
        "registration__person", "registration__person__organisation"
    )
    grouped: dict[int, dict[int, list[Seat]]] = defaultdict(lambda: defaultdict(list))
    for s in seats:
        grouped[s.round_no][s.table_no].append(s)
    return [(r, sorted(grouped[r].items())) for r in range(1, plan.rounds + 1)]


def seated_registrations(plan: RotationPlan) -> list[Registration]:
    ids = set(Seat.objects.filter(plan=plan).values_list("registration_id", flat=True))
    return list(
        Registration.objects.filter(pk__in=ids)
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )


# --------------------------------------------------------------------------- engine input


def _consenting(person_ids: Iterable[int]) -> set[int]:
    """People whose latest matchmaking decision is a yes (one query)."""
    latest: dict[int, bool] = {}
    for pid, granted in (
        Consent.objects.filter(person_id__in=list(person_ids), purpose=ConsentPurpose.MATCHMAKING)
        .order_by("person_id", "given_at", "id")
        .values_list("person_id", "granted")
    ):
        latest[pid] = granted
    return {pid for pid, granted in latest.items() if granted}


def shared_profile_ids(registrations: Iterable[Registration]) -> set[int]:
    """Ids of the registrations whose person consents to matchmaking today (one query).

    Only these people's profile (function, company, offers, seeks) is shown to
    the other participants, and only they are offered as people to meet.
    """
    regs = list(registrations)
    consent = _consenting(r.person_id for r in regs)
    return {r.pk for r in regs if r.person_id in consent}


def _company_key(r: Registration) -> str:
    # Colleagues are recognised by their organisation row, never by a typed name.
    org = r.person.organisation_id
    return f"organisation-{org}" if org else f"registration-{r.pk}"


def build_profiles(registrations: list[Registration]) -> list[Profile]:
    """Engine profiles of the participants (ids are registration ids as text)."""
    ids = {r.pk for r in registrations}
    consent = _consenting(r.person_id for r in registrations)
    profiles = []
    for r in registrations:
        p = r.person
        avoid = tuple(str(o.pk) for o in r.avoids.all() if o.pk in ids and o.pk != r.pk)
        if p.pk in consent:
            naf_row = p.organisation.naf if p.organisation else None
            naf = naf_row.code if naf_row else ""
            profiles.append(
                Profile(
                    id=str(r.pk),
                    company=_company_key(r),
                    naf=naf,
                    decision_maker=p.is_decision_maker,
                    offers=r.offers,
                    seeks=r.seeks,
                    tags=tuple(t for t in (p.tags or []) if isinstance(t, str)),
                    # A wish to meet someone who refused matchmaking does not count: they stay neutral.
                    wishes=tuple(
                        str(o.pk)
                        for o in r.wishes.all()
                        if o.pk in ids and o.pk != r.pk and o.person_id in consent
                    ),
                    avoid=avoid,
                    name=p.full_name,
                    activity=naf_row.label if naf_row else "",
                )
            )
        else:
            profiles.append(Profile(id=str(r.pk), company=_company_key(r), avoid=avoid, name=p.full_name))
    return profiles


def build_instance(
    registrations: list[Registration], *, rounds: int, table_size: int
) -> tuple[PairingInstance, RelevanceResult]:
    profiles = build_profiles(registrations)
    result = score_profiles(profiles)
    doc = to_pairing_instance(profiles, result, rounds=rounds, table_size=table_size)
    return parse_instance(doc), result


def format_errors(plan: RotationPlan, count: int | None) -> dict[str, str]:
    """What makes a format impossible (for `count` participants, when given), by field."""
    errors: dict[str, str] = {}
    if plan.table_size < 2:
        errors["table_size"] = _("Format impossible : une table réunit au moins 2 personnes.")
    if plan.rounds < 1:
        errors["rounds"] = _("Format impossible : il faut au moins un tour.")
    if plan.round_minutes < 1:
        errors["round_minutes"] = _("Format impossible : un tour dure au moins une minute.")
    if plan.first_table < 1:
        errors["first_table"] = _("Format impossible : les tables sont numérotées à partir de 1.")
    if count is None or errors:
        return errors
    if count < 2:
        errors["__all__"] = _("Format impossible : il faut au moins 2 participants (il y en a %(n)s).") % {
            "n": count
        }
        return errors
    if plan.table_size > count:
        errors["table_size"] = _(
            "Format impossible : %(k)s personnes par table pour %(n)s participants, il y aurait plus de places que de monde."
        ) % {"k": plan.table_size, "n": count}
    if plan.table_size == 2 and plan.rounds > count - 1:
        errors["rounds"] = _(
            "Format impossible : avec %(n)s participants, chacun peut rencontrer au plus %(m)s personnes, "
            "donc au plus %(m)s tours."
        ) % {"n": count, "m": count - 1}
    return errors


# --------------------------------------------------------------------------- schedules and seats


def _solve(instance: PairingInstance, *, seed: int) -> tuple[Rounds, list[str]]:
    from meute.engine.rotations import is_valid_schedule, is_valid_tables, solve_schedule

    res = solve_schedule(instance, seed=seed)
    rounds, notes = res.rounds, list(res.notes)
    if instance.table_size == 2:
        errors = is_valid_schedule(instance, rounds, check_rests=False)
    else:
        errors = is_valid_tables(instance, rounds)
    if errors:  # a solver bug: refuse to save a broken plan
        raise InfeasibleError(errors[0])
    return _clean(rounds), notes


def _clean(rounds: Rounds) -> Rounds:
    return [[sorted(int(i) for i in t) for t in tables] for tables in rounds]


def _valid(instance: PairingInstance, rounds: Rounds) -> list[str]:
    from meute.engine.rotations import rule_breaks

    # Only the hard rules: a hand-made change may leave a table short, never break a rule.
    return rule_breaks(instance, rounds)


def _rule_message(instance: PairingInstance, rounds: Rounds, regs: list[Registration]) -> str:
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


def _pairs(tables: Iterable[list[int]]) -> set[tuple[int, int]]:
    return {(min(a, b), max(a, b)) for t in tables for a, b in combinations(t, 2)}


def _figures(
    instance: PairingInstance, rounds: Rounds, regs: list[Registration], notes: list[str]
) -> dict[str, Any]:
    from meute.engine.rotations import best_bound, schedule_figures

    try:
        bound = best_bound(instance) if instance.n <= 600 else None
    except Exception:  # a bound is a nicety; the plan stands without it
        bound = None
    fig = schedule_figures(instance, rounds, bound=bound)
    W = instance.weights
    utility = np.zeros(instance.n)
    for a, b in _pairs(t for tables in rounds for t in tables):
        utility[a] += W[a, b]
        utility[b] += W[a, b]
    own = instance.own_bound
    served = [i for i in range(instance.n) if own[i] > 0]
    if served:
        worst = min(served, key=lambda i: utility[i] / own[i])
        fig["worst_registration_id"] = regs[worst].pk
        fig["worst_name"] = regs[worst].person.full_name
        fig["worst_share_percent"] = round(100 * float(utility[worst] / own[worst]), 1)
    if "ratio_bound" in fig:
        fig["ratio_bound_percent"] = round(100 * float(fig["ratio_bound"]), 1)
    fig["notes"] = stored_notes(notes, {str(r.pk): r.person.full_name for r in regs})
    return fig


def _load_rounds(plan: RotationPlan, index: dict[int, int]) -> tuple[Rounds, dict[int, dict[int, int]]]:
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


def _number_tables(
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


def _save_rounds(
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
    old_rounds, old_numbers = _load_rounds(plan, index)
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


def _save_reasons(
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
    for a, b in sorted(_pairs(t for tables in rounds for t in tables)):
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


def _notify(plan: RotationPlan, registration_ids: Iterable[int], *, changed: bool) -> None:
    from meute.events import tasks

    ids = sorted(set(registration_ids))

    def send() -> None:
        for pk in ids:
            tasks.send_schedule_email.enqueue(pk, changed)

    transaction.on_commit(send)


# --------------------------------------------------------------------------- services


def plan_configure(
    *,
    event: Event,
    table_size: int,
    rounds: int,
    round_minutes: int,
    break_minutes: int,
    first_table: int = 1,
    seed: int | None = None,
) -> RotationPlan:
    """Create or change the format of an event's plan.

    Raises ValidationError naming the field of an impossible format (checked
    against today's participants). Changing the format of a computed plan sends
    it back to draft: its seats no longer fit.
    """
    if not is_speed_event(event):
        raise ValidationError(_("Cet événement n'est pas une soirée de rendez-vous d'affaires express."))
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        plan, _created = RotationPlan.objects.get_or_create(event=event)
        values = {
            "table_size": table_size,
            "rounds": rounds,
            "round_minutes": round_minutes,
            "break_minutes": break_minutes,
            "first_table": first_table,
        }
        changed = any(getattr(plan, k) != v for k, v in values.items())
        reshaped = [k for k in ("table_size", "rounds", "first_table") if getattr(plan, k) != values[k]]
        if reshaped and plan.status == PlanStatus.PUBLISHED:
            # Agendas are out: only the timing may still move; a new shape needs a new plan.
            raise ValidationError(
                {
                    k: _("Le plan est publié : ce réglage ne peut plus changer sans recalculer le plan.")
                    for k in reshaped
                }
            )
        for k, v in values.items():
            setattr(plan, k, v)
        if seed is not None:
            plan.seed = seed
        # The participants may still change: only the format itself is checked here.
        errors = format_errors(plan, None)
        if errors:
            raise ValidationError(errors)
        if plan.status == PlanStatus.RUNNING:
            raise ValidationError(_("Un calcul est en cours : attendez qu'il se termine."))
        if changed and plan.status != PlanStatus.PUBLISHED:
            Seat.objects.filter(plan=plan).delete()
            PairReason.objects.filter(plan=plan).delete()
            plan.status, plan.progress, plan.figures = PlanStatus.DRAFT, 0, {}
        plan.save()
    return plan


def plan_generate(*, plan: RotationPlan) -> RotationPlan:
    """Check the format against the participants, then queue the computation (on commit).

    The task (:func:`meute.events.speed_tasks.plan_compute`) scores the
    profiles, solves and saves the seats, the reasons and the figures,
    reporting its progress on the plan.
    """
    from meute.events import speed_tasks

    with transaction.atomic():
        plan = RotationPlan.objects.select_for_update(of=("self",)).select_related("event").get(pk=plan.pk)
        # A computation silent for a quarter of an hour died with its worker: it may be restarted.
        stale = plan.updated_at < timezone.now() - dt.timedelta(minutes=15)
        if plan.status == PlanStatus.RUNNING and not stale:
            raise ValidationError(_("Un calcul est déjà en cours."))
        if plan.status == PlanStatus.PUBLISHED and plan.event.has_started:
            # the rounds played are history: only the live re-plan may change what is left
            raise ValidationError(
                _(
                    "L'événement a commencé : le plan publié ne peut plus être recalculé en entier. "
                    "Utilisez la re-planification à partir d'un tour."
                )
            )
        errors = format_errors(plan, len(participants(plan.event)))
        if errors:
            raise ValidationError(errors)
        plan.status, plan.progress, plan.message = PlanStatus.RUNNING, 0, ""
        plan.save(update_fields=["status", "progress", "message", "updated_at"])
        plan_id = plan.pk
        transaction.on_commit(lambda: speed_tasks.plan_compute.enqueue(plan_id))
    return plan


def _progress(plan_id: int, value: int) -> None:
    # Written outside the final transaction, so a page polling the plan sees it move.
    RotationPlan.objects.filter(pk=plan_id).update(progress=value, updated_at=timezone.now())


def plan_compute(*, plan_id: int) -> RotationPlan | None:
    """Run the engine for a plan and save its result (called by the background task)."""
    plan = RotationPlan.objects.select_related("event").filter(pk=plan_id).first()
    if plan is None:
        return None
    try:
        regs = participants(plan.event)
        errors = format_errors(plan, len(regs))
        if errors:
            raise EngineInputError(" ".join(errors.values()))
        _progress(plan_id, 10)
        instance, result = build_instance(regs, rounds=plan.rounds, table_size=plan.table_size)
        _progress(plan_id, 40)
        rounds, notes = _solve(instance, seed=plan.seed)
        _progress(plan_id, 80)
        figures = _figures(instance, rounds, regs, notes)
    except Exception as exc:  # whatever breaks, the organiser must see a failed plan, not a spinner
        logger.exception("speed plan %s failed", plan_id)
        RotationPlan.objects.filter(pk=plan_id).update(
            status=PlanStatus.FAILED, progress=100, message=str(exc), updated_at=timezone.now()
        )
        return RotationPlan.objects.get(pk=plan_id)
    with transaction.atomic():
        plan = RotationPlan.objects.select_for_update().get(pk=plan_id)
        Seat.objects.filter(plan=plan).delete()
        Seat.objects.bulk_create(
            Seat(plan=plan, round_no=r, table_no=plan.first_table + k, registration_id=regs[i].pk)
            for r, tables in enumerate(rounds, start=1)
            for k, t in enumerate(tables)
            for i in t
        )
        _save_reasons(plan, regs, instance, result, rounds)
        plan.figures = figures
        # A recomputed plan must be published again; participants then hear it changed.
        plan.status, plan.progress, plan.message = PlanStatus.READY, 100, "\n".join(notes)
        plan.save()
    return plan


def plan_publish(*, plan: RotationPlan) -> RotationPlan:
    """Publish a computed plan and send each participant their agenda (on commit)."""
    with transaction.atomic():
        plan = RotationPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != PlanStatus.READY:
            raise ValidationError(_("Seul un plan calculé peut être publié."))
        plan.version += 1
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save()
        ids = Seat.objects.filter(plan=plan).values_list("registration_id", flat=True)
        _notify(plan, ids, changed=plan.version > 1)
    return plan


def _editable(plan: RotationPlan) -> RotationPlan:
    plan = RotationPlan.objects.select_for_update(of=("self",)).select_related("event").get(pk=plan.pk)
    if plan.status not in (PlanStatus.READY, PlanStatus.PUBLISHED):
        raise ValidationError(_("Le plan n'est pas encore calculé."))
    return plan


def _plan_regs(plan: RotationPlan, extra: Iterable[Registration] = ()) -> list[Registration]:
    ids = set(Seat.objects.filter(plan=plan).values_list("registration_id", flat=True)) | {
        r.pk for r in extra
    }
    return list(
        Registration.objects.filter(pk__in=ids)
        .select_related("person", "person__organisation", "person__organisation__naf")
        .prefetch_related("wishes", "avoids")
        .order_by("pk")
    )


@dataclass
class ChangeReport:
    """What a hand change or a re-plan did."""

    changed_meetings: int = 0
    added_meetings: int = 0
    notified: int = 0
    notes: list[str] = field(default_factory=list)


def _reoptimise_around(
    instance: PairingInstance, rounds: Rounds, fixed_rounds: list[int]
) -> tuple[Rounds, list[str]]:
    """Keep the rounds holding locked meetings as they are and repair the others around them.

    One-to-one plans use :func:`meute.engine.replan.replan`: the rounds with a
    locked meeting are put first and frozen, the other rounds follow and are
    rebuilt keeping every planned meeting that is still possible (a meeting now
    made in a locked round is dropped elsewhere, and the two people left alone
    are re-paired over pairs that never met). Then the rounds go back in their
    places. Tables of k keep every round and only check the hard rules.
    """
    if instance.table_size != 2:
        return rounds, []
    from meute.engine.rotations import replan

    R = len(rounds)
    others = [r for r in range(R) if r not in fixed_rounds]
    if not others:
        return rounds, []
    order = fixed_rounds + others
    res = replan(instance, [rounds[r] for r in order], from_round=len(fixed_rounds) + 1)
    out: Rounds = [[] for _ in range(R)]
    for pos, r in enumerate(order):
        out[r] = res.rounds[pos]
    return _clean(out), list(res.notes)


def _apply_change(
    plan: RotationPlan,
    regs: list[Registration],
    new_rounds: Rounds,
    locked: set[tuple[int, int]],
    fixed: list[int],
    notes_out: list[str],
) -> ChangeReport:
    """Shared end of swap and lock: re-optimise, check, save, bump the version, notify."""
    instance, result = build_instance(regs, rounds=plan.rounds, table_size=plan.table_size)
    index = {r.pk: k for k, r in enumerate(regs)}
    old_rounds, old_numbers = _load_rounds(plan, index)
    rebuilt, notes = _reoptimise_around(instance, new_rounds, fixed)
    errors = _valid(instance, rebuilt)
    if errors:
        raise ValidationError(
            _("Changement impossible : %(e)s") % {"e": _rule_message(instance, rebuilt, regs)}
        )
    numbers = {
        r: _number_tables(rebuilt[r - 1], old_rounds[r - 1], old_numbers[r], plan.first_table)
        for r in range(1, plan.rounds + 1)
    }
    published = plan.status == PlanStatus.PUBLISHED
    version = plan.version + 1 if published else plan.version
    changed = _save_rounds(plan, regs, rebuilt, numbers, from_round=1, version=version, locked=locked)
    _save_reasons(plan, regs, instance, result, rebuilt)
    before_pairs = _pairs(t for tables in old_rounds for t in tables)
    after_pairs = _pairs(t for tables in rebuilt for t in tables)
    report = ChangeReport(
        len(before_pairs - after_pairs), len(after_pairs - before_pairs), notes=notes_out + notes
    )
    plan.figures = _figures(instance, rebuilt, regs, report.notes)
    if published and changed:
        plan.version = version
        _notify(plan, changed, changed=True)
        report.notified = len(changed)
    plan.save()
    return report


def _locked_positions(plan: RotationPlan, index: dict[int, int]) -> set[tuple[int, int]]:
    return {
        (r, index[reg])
        for r, reg in Seat.objects.filter(plan=plan, locked=True).values_list("round_no", "registration_id")
        if reg in index
    }


def seat_lock(*, plan: RotationPlan, round_no: int, table_no: int, locked: bool = True) -> int:
    """Lock (or unlock) a meeting: every seat of one table in one round. Returns the seats touched.

    A locked meeting stays where it is through hand swaps and is kept by the
    re-plans whenever its people are still there.
    """
    with transaction.atomic():
        plan = _editable(plan)
        count = Seat.objects.filter(plan=plan, round_no=round_no, table_no=table_no).update(locked=locked)
        if not count:
            raise ValidationError(
                {"table_no": _("Il n'y a pas de table %(t)s au tour %(r)s.") % {"t": table_no, "r": round_no}}
            )
    return count


def seat_swap(
    *, plan: RotationPlan, round_no: int, first: Registration, second: Registration
) -> ChangeReport:
    """Swap two participants between their tables in one round; lock the two new tables; repair the rest.

    Why a repair and not a new solve: the organiser has reviewed the plan and
    changes one meeting by hand; solving again would reshuffle every agenda. The
    engine's re-planner keeps every other planned meeting that is still
    possible and re-pairs only the people the swap leaves alone in other rounds
    (a meeting the swap creates is removed from the round where it was planned).
    Refused with a clear message if the swap seats colleagues or a forbidden
    pair together, or repeats a meeting that is locked in another round.
    """
    with transaction.atomic():
        plan = _editable(plan)
        if not 1 <= round_no <= plan.rounds:
            raise ValidationError({"round_no": _("Le tour doit être entre 1 et %(n)s.") % {"n": plan.rounds}})
        if first.pk == second.pk:
            raise ValidationError(_("Choisissez deux personnes différentes."))
        regs = _plan_regs(plan)
        index = {r.pk: k for k, r in enumerate(regs)}
        if first.pk not in index or second.pk not in index:
            raise ValidationError(_("Ces personnes ne sont pas dans le plan."))
        rounds, _numbers = _load_rounds(plan, index)
        a, b = index[first.pk], index[second.pk]
        tables = rounds[round_no - 1]
        ta = next((t for t in tables if a in t), None)
        tb = next((t for t in tables if b in t), None)
        if ta is None or tb is None:
            raise ValidationError(_("Les deux personnes doivent être assises à ce tour."))
        if ta is tb:
            raise ValidationError(_("Ces deux personnes sont déjà à la même table."))
        ta[ta.index(a)] = b
        tb[tb.index(b)] = a
        locked = _locked_positions(plan, index)
        locked -= {(round_no, i) for i in ta + tb}
        # The swap breaks up any lock on the two tables it touches, then locks the new ones.
        locked |= {(round_no, i) for i in ta + tb}
        fixed = sorted({r - 1 for r, _i in locked})
        new_pairs = _pairs([ta, tb])
        for r in fixed:
            if r == round_no - 1:
                continue
            # Rounds holding a lock are kept whole, so a meeting planned there cannot move.
            clash = new_pairs & _pairs(rounds[r])
            if clash:
                p, q = sorted(clash)[0]
                raise ValidationError(
                    _(
                        "%(a)s et %(b)s se rencontrent déjà au tour %(r)s, qui contient une rencontre verrouillée."
                    )
                    % {"a": regs[p].person.full_name, "b": regs[q].person.full_name, "r": r + 1}
                )
        report = _apply_change(plan, regs, rounds, locked, fixed, [])
    return report


def plan_replan_live(*, plan: RotationPlan, from_round: int) -> ChangeReport:
    """Re-plan rounds from_round..end during the event.

    Absentees: seated registrations now marked absent or excused at check-in, or
    cancelled. Arrivals: confirmed registrations marked present or late (walk-ins,
    late registrations) who are not in the plan yet. Rounds before from_round
    are frozen; changed seats get the new version; participants whose agenda
    changed are told on commit (if the plan is published).
    """
    with transaction.atomic():
        plan = _editable(plan)
        if not 1 <= from_round <= plan.rounds:
            raise ValidationError(
                {"from_round": _("Le tour doit être entre 1 et %(n)s.") % {"n": plan.rounds}}
            )
        planned_ids = set(Seat.objects.filter(plan=plan).values_list("registration_id", flat=True))
        arrivals = list(
            Registration.objects.filter(
                event=plan.event, status=RegistrationStatus.CONFIRMED, attendance__in=ARRIVED
            ).exclude(pk__in=planned_ids)
        )
        regs = _plan_regs(plan, arrivals)
        index = {r.pk: k for k, r in enumerate(regs)}
        absent = [
            index[r.pk]
            for r in regs
            if r.pk in planned_ids and (r.status != RegistrationStatus.CONFIRMED or r.attendance in GONE)
        ]
        arrived = [index[r.pk] for r in arrivals]
        instance, result = build_instance(regs, rounds=plan.rounds, table_size=plan.table_size)
        old_rounds, old_numbers = _load_rounds(plan, index)
        from meute.engine.rotations import replan

        res = replan(
            instance, old_rounds, from_round=from_round, absent=absent, arrived=arrived, seed=plan.seed
        )
        new_rounds, notes = _clean(res.rounds), list(res.notes)
        errors = _valid(instance, new_rounds)
        gone = set(absent)
        errors += [
            f"round {r}: absent {instance.ids[i]} is seated"
            for r, tables in enumerate(new_rounds[from_round - 1 :], start=from_round)
            for t in tables
            for i in t
            if i in gone
        ]
        if errors:
            logger.error("replan of plan %s broke a rule: %s", plan.pk, errors[:3])
            raise ValidationError(
                _("Re-planification impossible : %(e)s") % {"e": _rule_message(instance, new_rounds, regs)}
            )
        numbers = {
            r: _number_tables(new_rounds[r - 1], old_rounds[r - 1], old_numbers[r], plan.first_table)
            for r in range(1, plan.rounds + 1)
        }
        published = plan.status == PlanStatus.PUBLISHED
        version = plan.version + 1 if published else plan.version
        locked = _locked_positions(plan, index)
        keep_locked = {(r, i) for r, i in locked if r >= from_round and i not in gone}
        changed = _save_rounds(
            plan, regs, new_rounds, numbers, from_round=from_round, version=version, locked=keep_locked
        )
        _save_reasons(plan, regs, instance, result, new_rounds)
        before = _pairs(t for tables in old_rounds[from_round - 1 :] for t in tables)
        after = _pairs(t for tables in new_rounds[from_round - 1 :] for t in tables)
        report = ChangeReport(len(before - after), len(after - before), notes=notes)
        plan.figures = _figures(instance, new_rounds, regs, notes)
        plan.version = version
        plan.save()
        if published and changed:
            told = changed - {regs[i].pk for i in gone}
            _notify(plan, told, changed=True)
            report.notified = len(told)
    return report


def profile_update(
    *,
    registration: Registration,
    offers: str,
    seeks: str,
    wishes: Iterable[Registration] = (),
    avoids: Iterable[Registration] = (),
) -> Registration:
    """Save what a participant offers and seeks at the event, and whom they wish to meet or avoid.

    Wishes and avoids must be other confirmed participants of the same event.
    """
    wishes, avoids = list(wishes), list(avoids)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        for name, people in (("wishes", wishes), ("avoids", avoids)):
            for other in people:
                if other.event_id != registration.event_id or other.pk == registration.pk:
                    raise ValidationError(
                        {name: _("Choisissez parmi les autres participants de l'événement.")}
                    )
        if {r.pk for r in wishes} & {r.pk for r in avoids}:
            raise ValidationError(
                {"avoids": _("Une même personne ne peut être à la fois souhaitée et évitée.")}
            )
        registration.offers, registration.seeks = offers.strip(), seeks.strip()
        registration.save(update_fields=["offers", "seeks", "updated_at"])
        registration.wishes.set(wishes)
        registration.avoids.set(avoids)
    return registration
