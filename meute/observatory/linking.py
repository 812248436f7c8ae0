"""The linkage run: every imported record linked into people, and the lists' memberships rebuilt.

The bridge to the engine (``meute.engine.linkage``): load the records, build the
engine's :class:`~meute.engine.linkage.columns.Record` rows and the reviewers'
:class:`~meute.engine.linkage.model.Decision`, link, and save the result in one
transaction — observed people (ids kept from run to run where their records stay
together), the review queue, the links to Meute's own people, the memberships.

The task module calls :func:`linkage_run`; services queue it and call
:func:`memberships_rebuild` after a confirmation. Nothing here imports the
services or the tasks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from meute.accounts.models import Person
from meute.engine.errors import EngineInputError
from meute.engine.linkage.columns import Record, fold_words, normalise_company, normalise_email
from meute.engine.linkage.model import Decision as EngineDecision
from meute.engine.linkage.model import Linkage, link, link_by_rules
from meute.networks.models import Network
from meute.observatory.models import (
    Decision,
    ImportStatus,
    LinkageRun,
    ListImport,
    ListMembership,
    ObservedPerson,
    ReviewPair,
    RunStatus,
    SourceRecord,
)

__all__ = [
    "MIN_MODEL_RECORDS",
    "Absent",
    "absent_from",
    "linkage_run",
    "memberships_rebuild",
    "records_of",
]

#: Under this many records the Fellegi–Sunter model cannot be estimated reliably
#: (docs/algorithms/linkage.md, Limits): exact rules link them instead.
MIN_MODEL_RECORDS = 200

_RECORD_FIELDS = (
    "surname",
    "first_name",
    "first_initials",
    "company",
    "siren",
    "email",
    "email_local",
    "work_domain",
    "phone",
    "phone_kind",
    "postcode",
    "commune",
    "birth_date",
    "naf",
)


def records_of(rows: Iterable[SourceRecord]) -> list[Record]:
    """Engine records of source records: one file per list (so one list never names a person
    twice), the row being the source record's id."""
    return [
        Record(file=f"import-{r.list_import_id}", row=r.pk, **{f: getattr(r, f) for f in _RECORD_FIELDS})
        for r in rows
    ]


def _link(records: Sequence[Record], decisions: Sequence[EngineDecision], seed: int) -> tuple[Linkage, str]:
    if len(records) >= MIN_MODEL_RECORDS:
        try:
            return link(records, decisions=decisions, seed=seed), "splink"
        except EngineInputError as exc:
            if "contradict" in str(exc):
                raise
            # Too few pairs sharing a name or an e-mail to train on: the rules below.
    return link_by_rules(records, decisions=decisions), "exact"


def _set(run: LinkageRun, **values: object) -> None:
    for name, value in values.items():
        setattr(run, name, value)
    run.save(update_fields=list(values))


def linkage_run(*, run_id: int, seed: int = 0) -> LinkageRun | None:
    """Link every record of every imported list and save the result; None if the run is gone.

    A run that finds a newer one queued leaves the work to it (the last run sees every
    import). Decisions that contradict each other fail the run with the engine's message,
    and nothing changes.
    """
    run = LinkageRun.objects.filter(pk=run_id).first()
    if run is None or run.status != RunStatus.QUEUED:
        return run
    if LinkageRun.objects.filter(pk__gt=run.pk, status=RunStatus.QUEUED).exists():
        _set(run, status=RunStatus.DONE, progress=100, finished_at=timezone.now(), method="skipped")
        return run
    _set(run, status=RunStatus.RUNNING, progress=5)
    rows = list(
        SourceRecord.objects.filter(list_import__status=ImportStatus.IMPORTED)
        .order_by("pk")
        .only("pk", "list_import_id", "observed_id", *_RECORD_FIELDS)
    )
    index = {r.pk: i for i, r in enumerate(rows)}
    decisions = [
        EngineDecision(index[p.record_a_id], index[p.record_b_id], same=p.decision == Decision.SAME)
        for p in ReviewPair.objects.exclude(decision=Decision.PENDING)
        if p.record_a_id in index and p.record_b_id in index
    ]
    _set(run, progress=15, n_records=len(rows))
    try:
        result, method = _link(records_of(rows), decisions, seed)
    except EngineInputError as exc:
        _set(run, status=RunStatus.FAILED, error=str(exc), finished_at=timezone.now())
        return run
    _set(run, progress=80, method=method)
    with transaction.atomic():
        # One writer at a time: lock every running run (in one order, so no deadlock); a run
        # that finished meanwhile with newer records wins, and this one's result is dropped.
        list(LinkageRun.objects.select_for_update().filter(status=RunStatus.RUNNING).order_by("pk"))
        if LinkageRun.objects.filter(pk__gt=run.pk, status=RunStatus.DONE).exclude(method="skipped").exists():
            _set(run, status=RunStatus.DONE, progress=100, finished_at=timezone.now(), method="skipped")
            return run
        _save_people(rows, result.person)
        n_review = _save_review(rows, result)
        n_accounts = _link_accounts(rows)
        for network in Network.objects.filter(list_imports__status=ImportStatus.IMPORTED).distinct():
            memberships_rebuild(network=network)
        _set(
            run,
            status=RunStatus.DONE,
            progress=100,
            n_people=result.n_people,
            n_review=n_review,
            n_accounts=n_accounts,
            finished_at=timezone.now(),
        )
    return run


def _save_people(rows: Sequence[SourceRecord], person: Sequence[int]) -> dict[int, int]:
    """Give each cluster an observed person, keeping the id most of its records had; returns
    {cluster label: observed id}. People left without records are deleted."""
    clusters: dict[int, list[SourceRecord]] = defaultdict(list)
    for r, label in zip(rows, person, strict=True):
        clusters[label].append(r)
    # Biggest clusters choose first, each old id goes to one cluster only.
    taken: set[int] = set()
    chosen: dict[int, int] = {}
    for label, members in sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        votes = Counter(r.observed_id for r in members if r.observed_id is not None)
        for old, _count in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if old not in taken:
                chosen[label] = old
                taken.add(old)
                break
    existing = set(ObservedPerson.objects.filter(pk__in=taken).values_list("pk", flat=True))
    fresh = [label for label in clusters if chosen.get(label) not in existing]
    created = ObservedPerson.objects.bulk_create(
        [ObservedPerson(label=_label(min(clusters[label], key=lambda r: r.pk))) for label in fresh],
        batch_size=1000,
    )
    for label, observed in zip(fresh, created, strict=True):
        chosen[label] = observed.pk
    changed = []
    for label, members in clusters.items():
        for r in members:
            if r.observed_id != chosen[label]:
                r.observed_id = chosen[label]
                changed.append(r)
    SourceRecord.objects.bulk_update(changed, ["observed"], batch_size=1000)
    ObservedPerson.objects.filter(records__isnull=True).delete()
    return chosen


def _label(r: SourceRecord) -> str:
    return f"{r.surname.upper()} {r.first_name.title()}".strip()[:250]


def _save_review(rows: Sequence[SourceRecord], result: Linkage) -> int:
    """The review queue of this run: pending pairs met again keep their row (and address), new
    ones are added, those the run no longer doubts are deleted; decided pairs are left alone."""
    existing = {
        (p.record_a_id, p.record_b_id): p for p in ReviewPair.objects.filter(decision=Decision.PENDING)
    }
    keep, new = [], []
    for p in result.review:
        a, b = sorted((rows[p.left].pk, rows[p.right].pk))
        values = {
            "match_probability": p.match_probability,
            "match_weight": p.match_weight,
            "weights": [list(w) for w in p.weights],
        }
        pair = existing.pop((a, b), None)
        if pair is None:
            new.append(ReviewPair(record_a_id=a, record_b_id=b, **values))
        else:
            for name, value in values.items():
                setattr(pair, name, value)
            keep.append(pair)
    ReviewPair.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
    ReviewPair.objects.bulk_update(keep, ["match_probability", "match_weight", "weights"], batch_size=1000)
    # A decided pair is never proposed again (the engine leaves decided pairs out).
    ReviewPair.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return len(keep) + len(new)


def _person_keys(person: Person) -> list[tuple[str, ...]]:
    surname, first = fold_words(person.last_name), fold_words(person.first_name)
    keys: list[tuple[str, ...]] = []
    for email in {normalise_email(person.email), normalise_email(person.user.email if person.user else "")}:
        if email:
            keys.append(("email", email))
    org = person.organisation
    if surname and first and org is not None:
        if normalise_company(org.name):
            keys.append(("company", surname, first, normalise_company(org.name)))
        if org.siren:
            keys.append(("siren", surname, first, org.siren))
    return keys


def _record_keys(r: SourceRecord) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    if r.email:
        keys.append(("email", r.email))
    if r.surname and r.first_name:
        if r.company:
            keys.append(("company", r.surname, r.first_name, r.company))
        if r.siren:
            keys.append(("siren", r.surname, r.first_name, r.siren))
    return keys


def _link_accounts(rows: Sequence[SourceRecord]) -> int:
    """Link observed people to Meute's people with an account, by e-mail, or by name with the
    firm's name or SIREN; a match that names two accounts links none. Returns how many are linked."""
    people = Person.objects.filter(user__isnull=False, user__is_active=True).select_related(
        "user", "organisation"
    )
    by_key: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for person in people:
        for key in _person_keys(person):
            by_key[key].add(person.pk)
    candidates: dict[int, Counter[int]] = defaultdict(Counter)
    for r in rows:
        found: set[int] = set()
        for key in _record_keys(r):
            found |= by_key.get(key, set())
        if len(found) == 1:
            assert r.observed_id is not None  # every record has its person after _save_people
            candidates[r.observed_id][found.pop()] += 1
    links: dict[int, int] = {}  # person -> observed
    strength: dict[int, int] = {}
    for observed_id, counter in candidates.items():
        if len(counter) != 1:
            continue
        ((person_id, count),) = counter.items()
        if count > strength.get(person_id, 0):
            links[person_id], strength[person_id] = observed_id, count
    # Cleared first, so the one-to-one constraint never sees a person twice.
    ObservedPerson.objects.exclude(person=None).update(person=None)
    for person_id, observed_id in links.items():
        ObservedPerson.objects.filter(pk=observed_id).update(person_id=person_id)
    return len(links)


# --------------------------------------------------------------------------- memberships


def _imports(network: Network) -> list[ListImport]:
    return list(
        ListImport.objects.filter(network=network, status=ImportStatus.IMPORTED).order_by("list_date", "pk")
    )


def _presences(network: Network) -> dict[int, dict[int, list[SourceRecord]]]:
    """{observed id: {import id: records}} for the network's imported lists."""
    out: dict[int, dict[int, list[SourceRecord]]] = defaultdict(lambda: defaultdict(list))
    for r in SourceRecord.objects.filter(
        list_import__network=network, list_import__status=ImportStatus.IMPORTED, observed__isnull=False
    ).only("pk", "list_import_id", "observed_id", "joined"):
        assert r.observed_id is not None
        out[r.observed_id][r.list_import_id].append(r)
    return out


def _walk(
    imports: Sequence[ListImport], presence: dict[int, list[SourceRecord]], until: ListImport | None = None
) -> tuple[list[tuple[dt.date, dt.date | None, ListImport, ListImport | None]], list[SourceRecord]]:
    """The periods of one person in a network's lists, up to (not including) ``until``, and the
    records of their last presence."""
    periods: list[tuple[dt.date, dt.date | None, ListImport, ListImport | None]] = []
    start: tuple[dt.date, ListImport] | None = None
    last: list[SourceRecord] = []
    for imp in imports:
        if until is not None and imp.pk == until.pk:
            break
        here = presence.get(imp.pk)
        if here:
            last = here
            if start is None:
                prior_end = periods[-1][1] if periods else None
                joined = min((r.joined for r in here if r.joined), default=None)
                begin = imp.list_date
                if joined and joined <= imp.list_date and (prior_end is None or joined >= prior_end):
                    begin = joined
                start = (begin, imp)
        elif start is not None and imp.departures_confirmed_at is not None:
            departed = set(imp.departed_records)
            if any(r.pk in departed for r in last):
                periods.append((start[0], imp.list_date, start[1], imp))
                start = None
    if start is not None:
        periods.append((start[0], None, start[1], None))
    return periods, last


def memberships_rebuild(*, network: Network) -> int:
    """Rebuild the network's :class:`ListMembership` rows from its imported lists and the
    confirmed departures; returns how many. Call inside the caller's transaction. O(records)."""
    imports = _imports(network)
    memberships = []
    for observed_id, presence in _presences(network).items():
        periods, _last = _walk(imports, presence)
        for start, end, first, ended in periods:
            memberships.append(
                ListMembership(
                    observed_id=observed_id,
                    network=network,
                    start_date=start,
                    end_date=end,
                    started_by=first,
                    ended_by=ended,
                )
            )
    ListMembership.objects.filter(network=network).delete()
    ListMembership.objects.bulk_create(memberships)
    return len(memberships)


@dataclass(frozen=True)
class Absent:
    """An observed person in the network's lists before ``list_import`` and absent from it;
    ``records`` their rows in the last list that named them."""

    observed: ObservedPerson
    records: tuple[SourceRecord, ...]


def absent_from(list_import: ListImport) -> list[Absent]:
    """The people a newer list no longer names: the departures a manager is asked to confirm."""
    imports = _imports(list_import.network)
    absent: list[tuple[int, list[SourceRecord]]] = []
    for observed_id, presence in _presences(list_import.network).items():
        if presence.get(list_import.pk):
            continue
        periods, last = _walk(imports, presence, until=list_import)
        if periods and periods[-1][1] is None:
            absent.append((observed_id, last))
    people = ObservedPerson.objects.in_bulk([o for o, _ in absent])
    full = SourceRecord.objects.in_bulk([r.pk for _, recs in absent for r in recs])
    out = [Absent(people[o], tuple(full[r.pk] for r in recs)) for o, recs in absent]
    out.sort(key=lambda a: (a.observed.label, a.observed.pk))
    return out
