"""The observatory's writes, one transaction each: lists uploaded, checked, imported or discarded;
departures confirmed; review decisions taken or undone; a person erased.

An upload keeps the file's bytes only until the list is imported or discarded
(:func:`list_import_confirm`, :func:`list_import_discard`, :func:`imports_purge_pending`):
the raw file is never kept once its rows are records (docs/privacy.md). Every import
and every decision queues a linkage run (:func:`linkage_queue`) once it commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.audit.services import audit_log
from meute.core.locking import locked
from meute.engine.errors import EngineInputError
from meute.engine.linkage.columns import FIELDS, Problem, Record, column_letter, fold_words, parse_date
from meute.engine.linkage.read import MAX_BYTES, read_table
from meute.engine.linkage.table import Table
from meute.networks.models import Network
from meute.observatory import tasks
from meute.observatory.linking import absent_from, memberships_rebuild
from meute.observatory.models import (
    ColumnMapping,
    Decision,
    Dossier,
    ImportStatus,
    LawfulBasis,
    LinkageRun,
    ListImport,
    ObservedPerson,
    ReviewPair,
    SourceRecord,
)
from meute.observatory.problems import cell_message, file_message
from meute.reference.models import Commune

__all__ = [
    "PENDING_KEPT",
    "departures_confirm",
    "dossier_request",
    "imports_purge_pending",
    "linkage_queue",
    "list_import_check",
    "list_import_confirm",
    "list_import_discard",
    "list_import_upload",
    "mapping_proposed",
    "observed_erase",
    "pair_decide",
    "pair_undo",
    "record_detach",
    "table_of",
]

#: An upload left waiting for its mapping is deleted (bytes and all) after this long.
PENDING_KEPT = dt.timedelta(days=2)


def _actor(user: User | AnonymousUser | None) -> User | None:
    return user if isinstance(user, User) else None


def table_of(list_import: ListImport) -> Table:
    """The pending list's table, read again from its bytes (ValidationError once they are gone)."""
    if not list_import.pending_data:
        raise ValidationError(_("Le fichier de cette liste n'est plus conservé : déposez-le à nouveau."))
    try:
        return read_table(bytes(list_import.pending_data), list_import.file_name)
    except EngineInputError as exc:
        raise ValidationError(file_message(str(exc))) from exc


def mapping_proposed(*, network: Network, headers: Sequence[str]) -> dict[str, int]:
    """``{field: column}`` for a new list: the network's remembered mapping where its headers are
    found again, the guess of the engine for the other columns."""
    from meute.engine.linkage.columns import guess_mapping

    guessed = guess_mapping(headers)
    remembered = ColumnMapping.objects.filter(network=network).first()
    if remembered is None:
        return guessed
    where = {h.casefold(): i for i, h in enumerate(headers)}
    mapping = {
        f: where[h.casefold()] for f, h in remembered.fields.items() if f in FIELDS and h.casefold() in where
    }
    used = set(mapping.values())
    for field, column in guessed.items():
        if field not in mapping and column not in used:
            mapping[field] = column
            used.add(column)
    return dict(sorted(mapping.items(), key=lambda kv: kv[1]))


def list_import_upload(
    *,
    network: Network,
    user: User | AnonymousUser | None,
    file_name: str,
    data: bytes,
    list_date: dt.date,
    lawful_basis: str = LawfulBasis.PUBLIC_TASK,
) -> ListImport:
    """Read an uploaded list and keep it pending with its proposed mapping.

    The same file already imported for this network is not read again: that import is
    returned (status imported) and nothing changes. Raises ValidationError with a French
    message naming file, row and column for a file that cannot be read.
    """
    name = (file_name or "liste").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("%(file)s : %(mb).1f Mo, au-delà de la limite de 20 Mo.")
            % {"file": name, "mb": len(data) / 1e6}
        )
    if lawful_basis not in LawfulBasis.values:
        raise ValidationError({"lawful_basis": _("base légale inconnue")})
    digest = hashlib.sha256(data).hexdigest()
    done = ListImport.objects.filter(
        network=network, content_hash=digest, status=ImportStatus.IMPORTED
    ).first()
    if done is not None:
        return done
    try:
        table = read_table(data, name)
    except EngineInputError as exc:
        raise ValidationError(file_message(str(exc))) from exc
    with transaction.atomic():
        list_import = ListImport.objects.create(
            network=network,
            uploaded_by=_actor(user),
            file_name=name,
            list_date=list_date,
            lawful_basis=lawful_basis,
            content_hash=digest,
            pending_data=data,
            headers=list(table.headers),
            header_row=table.header_row,
            mapping=mapping_proposed(network=network, headers=table.headers),
            n_rows=len(table.rows),
        )
    return list_import


def _clean_mapping(table: Table, mapping: Mapping[str, int]) -> dict[str, int]:
    clean: dict[str, int] = {}
    columns: dict[int, str] = {}
    for field, column in mapping.items():
        if field not in FIELDS:
            raise ValidationError(_("Champ inconnu : %(field)s") % {"field": field})
        if not 0 <= column < len(table.headers):
            raise ValidationError(_("Colonne inconnue : %(col)s") % {"col": column})
        if column in columns:
            raise ValidationError(
                _("La colonne %(col)s ne peut pas servir à deux champs.")
                % {"col": f"{column_letter(column)} ({table.headers[column]})"}
            )
        columns[column] = field
        clean[field] = column
    if "full_name" not in clean and "surname" not in clean:
        raise ValidationError(
            _("%(file)s : indiquez la colonne du nom (Nom, ou « NOM Prénom » dans une seule colonne).")
            % {"file": table.name}
        )
    return clean


def _check(
    table: Table, mapping: Mapping[str, int]
) -> tuple[list[Record], list[dict[str, Any]], dict[int, dt.date]]:
    """Records, problems (errors and warnings, by row and column) and the dates of membership."""
    try:
        records, problems = _records(table, mapping)
    except EngineInputError as exc:
        raise ValidationError(file_message(str(exc))) from exc
    found: list[dict[str, Any]] = [
        {"row": p.row, "column": p.column, "message": cell_message(p), "level": "error"} for p in problems
    ]
    joined: dict[int, dt.date] = {}
    if "joined" in mapping:
        c = mapping["joined"]
        for number, row in zip(table.row_numbers, table.rows, strict=True):
            iso = parse_date(row[c]) if row[c] else None
            if iso:
                joined[number] = dt.date.fromisoformat(iso)
    if "commune" in mapping:
        known = {fold_words(n) for n in Commune.objects.values_list("name", flat=True)}
        if known:
            c = mapping["commune"]
            where = f"{column_letter(c)} ({table.headers[c]})"
            for r in records:
                if r.commune and r.commune not in known:
                    cell = next(
                        row[c] for n, row in zip(table.row_numbers, table.rows, strict=True) if n == r.row
                    )
                    found.append(
                        {
                            "row": r.row,
                            "column": where,
                            "message": _("commune inconnue : %(value)s") % {"value": cell},
                            "level": "warning",
                        }
                    )
    found.sort(key=lambda p: (p["row"], p["column"]))
    return records, found, joined


def _records(table: Table, mapping: Mapping[str, int]) -> tuple[list[Record], list[Problem]]:
    from meute.engine.linkage.columns import records_from_table

    return records_from_table(table, mapping)


def list_import_check(*, list_import: ListImport, mapping: Mapping[str, int]) -> ListImport:
    """Validate the pending list with ``mapping`` and record the mapping and the problems found
    (nothing is imported). Raises ValidationError for a mapping without a name column."""
    if list_import.status != ImportStatus.PENDING:
        raise ValidationError(_("Cette liste n'est plus en attente."))
    table = table_of(list_import)
    clean = _clean_mapping(table, mapping)
    problems = _check(table, clean)[1]
    list_import.mapping = clean
    list_import.problems = problems
    list_import.save(update_fields=["mapping", "problems"])
    return list_import


def linkage_queue() -> LinkageRun:
    """A linkage run over every record, queued once the caller's transaction commits."""
    run = LinkageRun.objects.create()
    run_id = run.pk
    transaction.on_commit(lambda: tasks.link_records.enqueue(run_id))
    return run


def list_import_confirm(
    *,
    list_import: ListImport,
    user: User | AnonymousUser | None,
    mapping: Mapping[str, int],
    skip_errors: bool = False,
) -> ListImport:
    """Import the pending list with ``mapping``: every row becomes a :class:`SourceRecord`, the
    bytes are deleted, the mapping is remembered for the network and a linkage run is queued.

    A list with errors imports nothing (ValidationError listing them) unless
    ``skip_errors``: then the rows with errors are left out and counted. All or nothing,
    in one transaction.
    """
    try:
        return _confirm(list_import, user, mapping, skip_errors)
    except _Refused as refused:
        # The report is kept (outside the rolled-back transaction) for the page to show it.
        ListImport.objects.filter(pk=list_import.pk, status=ImportStatus.PENDING).update(
            mapping=refused.mapping, problems=refused.problems
        )
        raise ValidationError(refused.message) from None


class _Refused(Exception):
    def __init__(self, message: str, mapping: dict[str, int], problems: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.message, self.mapping, self.problems = message, mapping, problems


def _confirm(
    list_import: ListImport, user: User | AnonymousUser | None, mapping: Mapping[str, int], skip_errors: bool
) -> ListImport:
    with transaction.atomic():
        # The network first (core.locking's order): two copies of one file confirmed at once
        # are imported once, the second told so, rather than refused by the unique constraint.
        locked(Network, list_import.network_id)
        imp = locked(ListImport, list_import.pk, related=("network",))
        if imp.status != ImportStatus.PENDING:
            raise ValidationError(_("Cette liste n'est plus en attente."))
        if ListImport.objects.filter(
            network=imp.network, content_hash=imp.content_hash, status=ImportStatus.IMPORTED
        ).exists():
            raise ValidationError(_("Ce fichier est déjà importé pour ce réseau : rien n'a changé."))
        table = table_of(imp)
        clean = _clean_mapping(table, mapping)
        records, problems, joined = _check(table, clean)
        error_rows = {int(p["row"]) for p in problems if p["level"] == "error"}
        if error_rows and not skip_errors:
            raise _Refused(
                _(
                    "%(file)s : %(n)s ligne(s) en erreur ; rien n'est importé. Corrigez le fichier ou écartez ces lignes."
                )
                % {"file": imp.file_name, "n": len(error_rows)},
                clean,
                problems,
            )
        kept = [r for r in records if r.row not in error_rows]
        if not kept:
            raise ValidationError(_("%(file)s : aucune ligne à importer.") % {"file": imp.file_name})
        source = _("%(file)s, liste du réseau %(network)s au %(date)s") % {
            "file": imp.file_name,
            "network": imp.network.name,
            "date": imp.list_date.strftime("%d/%m/%Y"),
        }
        SourceRecord.objects.bulk_create(
            SourceRecord(
                list_import=imp,
                row=r.row,
                surname=r.surname[:150],
                first_name=r.first_name[:150],
                first_initials=r.first_initials[:20],
                company=r.company[:250],
                siren=r.siren,
                email=r.email[:254],
                email_local=r.email_local[:254],
                work_domain=r.work_domain[:254],
                phone=r.phone,
                phone_kind=r.phone_kind,
                postcode=r.postcode,
                commune=r.commune[:150],
                birth_date=r.birth_date,
                naf=r.naf[:10],
                joined=joined.get(r.row),
                lawful_basis=imp.lawful_basis,
                source=source[:300],
            )
            for r in kept
        )
        imp.status = ImportStatus.IMPORTED
        imp.pending_data = b""
        imp.mapping = clean
        imp.problems = problems
        imp.n_rows = len(table.rows)
        imp.n_records = len(kept)
        imp.n_skipped = imp.n_rows - len(kept)
        imp.imported_at = timezone.now()
        imp.save()
        ColumnMapping.objects.update_or_create(
            network=imp.network, defaults={"fields": {f: table.headers[c] for f, c in clean.items()}}
        )
        audit_log(
            actor=user,
            action="observatory.list_import",
            summary=f"{imp.file_name}: {len(kept)} records",
            network=imp.network,
            target=imp,
            details={"rows": imp.n_rows, "skipped": imp.n_skipped, "list_date": imp.list_date.isoformat()},
        )
        linkage_queue()
    return imp


def list_import_discard(*, list_import: ListImport, user: User | AnonymousUser | None) -> ListImport:
    """Give up a pending list: its bytes are deleted, nothing is imported."""
    with transaction.atomic():
        imp = locked(ListImport, list_import.pk)
        if imp.status != ImportStatus.PENDING:
            raise ValidationError(_("Cette liste n'est plus en attente."))
        imp.status = ImportStatus.DISCARDED
        imp.pending_data = b""
        imp.save(update_fields=["status", "pending_data"])
        audit_log(actor=user, action="observatory.list_discard", summary=imp.file_name, network=imp.network)
    return imp


def imports_purge_pending(*, now: dt.datetime | None = None) -> int:
    """Discard the uploads left pending longer than :data:`PENDING_KEPT` (their bytes deleted)."""
    cutoff = (now or timezone.now()) - PENDING_KEPT
    return ListImport.objects.filter(status=ImportStatus.PENDING, created_at__lt=cutoff).update(
        status=ImportStatus.DISCARDED, pending_data=b""
    )


def departures_confirm(
    *, list_import: ListImport, user: User | AnonymousUser | None, observed_ids: Sequence[int] | None = None
) -> int:
    """Record as departures, at the list's date, the people of the earlier lists absent from this
    one (all of them, or those of ``observed_ids``; the others stay members). Returns how many."""
    with transaction.atomic():
        imp = locked(ListImport, list_import.pk, related=("network",))
        if imp.status != ImportStatus.IMPORTED:
            raise ValidationError(_("Cette liste n'est pas importée."))
        if imp.records.filter(observed__isnull=True).exists():
            raise ValidationError(
                _("Le rapprochement de cette liste n'est pas terminé : réessayez dans un instant.")
            )
        absent = absent_from(imp)
        chosen = set(observed_ids) if observed_ids is not None else {a.observed.pk for a in absent}
        unknown = chosen - {a.observed.pk for a in absent}
        if unknown:
            raise ValidationError(_("Ces personnes ne sont pas parmi les absents de la liste."))
        imp.departed_records = sorted(r.pk for a in absent if a.observed.pk in chosen for r in a.records)
        imp.departures_confirmed_at = timezone.now()
        imp.departures_confirmed_by = _actor(user)
        imp.save(update_fields=["departed_records", "departures_confirmed_at", "departures_confirmed_by"])
        memberships_rebuild(network=imp.network)
        transaction.on_commit(tasks.warm_figures.enqueue)
        audit_log(
            actor=user,
            action="observatory.departures_confirm",
            summary=f"{imp.file_name}: {len(chosen)} departures",
            network=imp.network,
            target=imp,
        )
    return len(chosen)


def _pair_key(a: SourceRecord, b: SourceRecord) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


def pair_decide(*, pair: ReviewPair, user: User | AnonymousUser | None, same: bool) -> ReviewPair:
    """Record a reviewer's verdict on two records (kept for every later run) and queue a run."""
    with transaction.atomic():
        pair = locked(ReviewPair, pair.pk)
        pair.decision = Decision.SAME if same else Decision.SPLIT
        pair.decided_by = _actor(user)
        pair.decided_at = timezone.now()
        pair.save(update_fields=["decision", "decided_by", "decided_at"])
        audit_log(
            actor=user,
            action="observatory.pair_decide",
            summary=f"{pair.record_a_id}/{pair.record_b_id}: {pair.decision}",
            target=pair,
        )
        linkage_queue()
    return pair


def pair_undo(*, pair: ReviewPair, user: User | AnonymousUser | None) -> ReviewPair:
    """Withdraw a decision (a merge undone, or a split): the model decides that pair again."""
    with transaction.atomic():
        pair = locked(ReviewPair, pair.pk)
        if pair.decision == Decision.PENDING:
            raise ValidationError(_("Cette paire n'a pas encore de décision."))
        was = pair.decision
        pair.decision = Decision.PENDING
        pair.decided_by = _actor(user)
        pair.decided_at = timezone.now()
        pair.save(update_fields=["decision", "decided_by", "decided_at"])
        audit_log(
            actor=user,
            action="observatory.pair_undo",
            summary=f"{pair.record_a_id}/{pair.record_b_id}: {was}",
        )
        linkage_queue()
    return pair


def record_detach(*, record: SourceRecord, user: User | AnonymousUser | None) -> int:
    """Undo a merge made by the model: ``record`` is split from every other record of its person
    (split decisions, kept for later runs), and a run is queued. Returns the decisions made."""
    with transaction.atomic():
        if record.observed_id is None:
            raise ValidationError(_("Cette fiche n'est rattachée à personne."))
        others = list(SourceRecord.objects.filter(observed_id=record.observed_id).exclude(pk=record.pk))
        if not others:
            raise ValidationError(_("Cette personne n'a qu'une fiche : rien à séparer."))
        now = timezone.now()
        for other in others:
            a, b = _pair_key(record, other)
            ReviewPair.objects.update_or_create(
                record_a_id=a,
                record_b_id=b,
                defaults={"decision": Decision.SPLIT, "decided_by": _actor(user), "decided_at": now},
            )
        audit_log(
            actor=user, action="observatory.record_detach", summary=f"record {record.pk}", target=record
        )
        linkage_queue()
    return len(others)


def observed_erase(*, observed: ObservedPerson, user: User | AnonymousUser | None) -> int:
    """Erase an observed person: their records are unlinked and deleted, with their review pairs and
    memberships; published dossiers keep their figures. Returns the records deleted."""
    with transaction.atomic():
        pks = list(SourceRecord.objects.filter(observed=observed).values_list("pk", flat=True))
        networks = list(Network.objects.filter(list_imports__records__pk__in=pks).distinct())
        imports = list(ListImport.objects.filter(records__pk__in=pks).distinct())
        SourceRecord.objects.filter(pk__in=pks).update(observed=None)
        SourceRecord.objects.filter(pk__in=pks).delete()  # their review pairs go with them
        observed.delete()  # and their memberships
        for imp in imports:
            imp.n_records = imp.records.count()
            imp.save(update_fields=["n_records"])
        for network in networks:
            memberships_rebuild(network=network)
        transaction.on_commit(tasks.warm_figures.enqueue)
        # No name in the audit: the entry must not keep what was erased.
        audit_log(actor=user, action="observatory.person_erase", summary=f"{len(pks)} records erased")
    return len(pks)


def dossier_request(*, at: dt.date, user: User | AnonymousUser | None, published: bool = True) -> Dossier:
    """Ask for the dossier at ``at`` (a past date is rebuilt from the recorded memberships); the task
    builds it once this commits. ``published=False`` is the chamber's internal copy."""
    if at > timezone.localdate():
        raise ValidationError({"at": _("Le dossier se fait à une date passée ou aujourd'hui.")})
    with transaction.atomic():
        dossier = Dossier.objects.create(at=at, published=published, requested_by=_actor(user))
        dossier_id = dossier.pk
        audit_log(actor=user, action="observatory.dossier_request", summary=f"{at} published={published}")
        transaction.on_commit(lambda: tasks.build_dossier.enqueue(dossier_id))
    return dossier
