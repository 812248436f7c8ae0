"""Writes on attendance and visitors: each function is one transaction, with its line in the audit trail."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from meute.accounts.models import Person, User
from meute.attendance.models import AttendanceRecord, AttendanceRule, AttendanceStatus, Visitor, VisitorStatus
from meute.audit.services import audit_log
from meute.core.locking import locked
from meute.events.models import Event
from meute.networks.models import Membership, Network
from meute.networks.permissions import person_is_active_member

Actor = User | AnonymousUser | None


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def attendance_take(
    *, event: Event, entries: Mapping[int, tuple[str, str]], actor: Actor
) -> list[AttendanceRecord]:
    """Save the board's register for a meeting: {person id: (status, substitute name)}.

    All or nothing: an unknown member, an unknown status or a substitute without
    a name refuses the whole register, naming the person.
    """
    network_id = event.network_id
    if network_id is None:
        raise ValidationError(_("Seules les réunions d'un réseau ont une feuille de présence."))
    with transaction.atomic():
        event = locked(Event, event.pk, related=("network",))
        members = {
            m.person_id: m.person
            for m in Membership.objects.active().filter(network_id=network_id).select_related("person")
        }
        errors: list[str] = []
        for person_id, (status, substitute) in entries.items():
            person = members.get(person_id)
            if person is None:
                errors.append(_("membre inconnu dans ce réseau : %(id)s") % {"id": person_id})
            elif status not in AttendanceStatus.values:
                errors.append(_("%(p)s : présence inconnue « %(s)s »") % {"p": person, "s": status})
            elif status == AttendanceStatus.SUBSTITUTE and not substitute.strip():
                errors.append(_("%(p)s : indiquez le nom du remplaçant") % {"p": person})
        if errors:
            raise ValidationError(errors)
        records = []
        for person_id, (status, substitute) in entries.items():
            record, _created = AttendanceRecord.objects.update_or_create(
                event=event,
                person_id=person_id,
                defaults={
                    "status": status,
                    "substitute_name": substitute.strip() if status == AttendanceStatus.SUBSTITUTE else "",
                    "recorded_by": _user(actor),
                },
            )
            records.append(record)
        counts = {s: sum(1 for r in records if r.status == s) for s in AttendanceStatus.values}
        audit_log(
            actor=actor,
            action="attendance.take",
            summary=_("Feuille de présence de « %(e)s » (%(n)d membres)")
            % {"e": event.title, "n": len(records)},
            network=event.network,
            target=event,
            details=counts,
        )
    return records


def attendance_rule_set(
    *, network: Network, max_unexcused: int, window_months: int, actor: Actor
) -> AttendanceRule:
    """Set the network's rule: at most `max_unexcused` unexcused absences over `window_months` months."""
    errors = {}
    if max_unexcused < 0:
        errors["max_unexcused"] = _("le nombre d'absences ne peut pas être négatif")
    if not 1 <= window_months <= 36:
        errors["window_months"] = _("la période doit compter entre 1 et 36 mois")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule, _created = AttendanceRule.objects.update_or_create(
            network=network, defaults={"max_unexcused": max_unexcused, "window_months": window_months}
        )
        audit_log(
            actor=actor,
            action="attendance.rule_set",
            summary=_("Règle d'assiduité : %(m)d absences non excusées sur %(w)d mois")
            % {"m": max_unexcused, "w": window_months},
            network=network,
            target=rule,
            details={"max_unexcused": max_unexcused, "window_months": window_months},
        )
    return rule


def _check_visitor(*, network: Network, event: Event | None, invited_by: Person | None) -> None:
    errors = {}
    if event is not None and event.network_id != network.pk:
        errors["event"] = _("réunion inconnue dans ce réseau")
    if invited_by is not None and not person_is_active_member(invited_by, network):
        errors["invited_by"] = _("membre inconnu dans ce réseau")
    if errors:
        raise ValidationError(errors)


def visitor_create(
    *,
    network: Network,
    name: str,
    email: str = "",
    company: str = "",
    event: Event | None = None,
    invited_by: Person | None = None,
    notes: str = "",
    actor: Actor,
) -> Visitor:
    """Record a guest invited to one of the network's meetings."""
    if not name.strip():
        raise ValidationError({"name": _("indiquez le nom du visiteur")})
    _check_visitor(network=network, event=event, invited_by=invited_by)
    with transaction.atomic():
        visitor = Visitor.objects.create(
            network=network,
            event=event,
            name=name.strip(),
            email=email.strip(),
            company=company.strip(),
            invited_by=invited_by,
            notes=notes,
            recorded_by=_user(actor),
        )
        audit_log(
            actor=actor,
            action="visitor.create",
            summary=_("Visiteur invité : %(v)s") % {"v": visitor.name},
            network=network,
            target=visitor,
            details={
                "event": event.pk if event else None,
                "invited_by": invited_by.pk if invited_by else None,
            },
        )
    return visitor


def visitor_follow_up(*, visitor: Visitor, status: str, notes: str, actor: Actor) -> Visitor:
    """Move a guest along the follow-up (invited, came, followed up, applied, not interested)."""
    if status not in VisitorStatus.values:
        raise ValidationError({"status": _("suivi inconnu : %(s)s") % {"s": status}})
    with transaction.atomic():
        visitor = locked(Visitor, visitor.pk, related=("network",))
        before = visitor.status
        visitor.status = status
        visitor.notes = notes
        visitor.save(update_fields=["status", "notes", "updated_at"])
        audit_log(
            actor=actor,
            action="visitor.follow_up",
            summary=_("Suivi de %(v)s : %(s)s") % {"v": visitor.name, "s": visitor.get_status_display()},
            network=visitor.network,
            target=visitor,
            details={"from": before, "to": status},
        )
    return visitor
