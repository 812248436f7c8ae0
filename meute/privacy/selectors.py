"""Everything Meute holds about one person, as plain JSON-ready data (the export's content).

The format is documented in docs/privacy.md ("Export format"); ``FORMAT`` and
``VERSION`` name it inside the file, so a reader can tell which version it got.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.db.models import Q

from meute.accounts.models import Person, User
from meute.attendance.models import AttendanceRecord, Visitor
from meute.barometer.models import BarometerReceipt
from meute.dues.models import DuesPeriod
from meute.events.models import MeetingRating, MeetingRequest, Registration, Seat
from meute.networks.models import Membership, Proposal
from meute.privacy.models import DataExport
from meute.referrals.models import Referral

FORMAT = "meute-personal-data"
VERSION = 1


def _value(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def _row(obj: Any, *fields: str) -> dict[str, Any]:
    return {f: _value(getattr(obj, f)) for f in fields}


def _name(person: Person | None) -> str:
    return person.full_name if person else ""


def person_data(user: User, *, now: dt.datetime) -> dict[str, Any]:
    """The whole record of ``user`` and their person: profile, memberships, applications,
    registrations, meetings and the feedback they gave, referrals, dues, consents, log-ins."""
    person: Person | None = getattr(user, "person", None)
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": now.isoformat(),
        "account": _row(user, "email", "first_name", "last_name", "date_joined", "last_login", "is_staff"),
        "logins": [
            _row(a, "attempt_time", "ip_address", "user_agent", "logout_time")
            for a in AccessLog.objects.filter(username__iexact=user.email).order_by("-attempt_time")
        ],
        "failed_logins": [
            _row(a, "attempt_time", "ip_address", "user_agent")
            for a in AccessFailureLog.objects.filter(username__iexact=user.email).order_by("-attempt_time")
        ],
        "access_tokens": [
            _row(t, "name", "prefix", "scope", "created_at", "expires_at", "revoked_at", "last_used_at")
            for t in user.access_tokens.all()  # type: ignore[attr-defined]
        ],
    }
    if person is None:
        return data
    org = person.organisation
    data["profile"] = _row(
        person,
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "trade",
        "is_decision_maker",
        "offers",
        "seeks",
        "tags",
        "languages",
        "created_at",
    ) | {
        "photo": person.photo.name if person.photo else "",
        "commune": person.commune.name if person.commune else "",
        "organisation": (
            _row(org, "name", "siren", "siret", "headcount", "website", "description")
            | {"naf": org.naf.code if org.naf else "", "commune": org.commune.name if org.commune else ""}
            if org
            else None
        ),
    }
    data["consents"] = [
        {
            "purpose": c.purpose,
            "granted": c.granted,
            "text_version": c.text_version,
            "text": c.text,
            "given_at": _value(c.given_at),
        }
        for c in person.consents.order_by("given_at", "id")
    ]
    data["memberships"] = [
        {"network": m.network.name}
        | _row(
            m,
            "role",
            "status",
            "start_date",
            "end_date",
            "created_at",
            "decided_at",
            "reason",
            "charter_version",
            "charter_accepted_at",
            "sponsor_confirmed_at",
        )
        | {"sponsor": _name(m.sponsor)}
        for m in Membership.objects.filter(person=person)
        .select_related("network", "sponsor")
        .order_by("created_at", "id")
    ]
    data["registrations"] = [
        {"event": r.event.title, "event_id": r.event_id, "starts_at": _value(r.event.starts_at)}
        | _row(r, "status", "attendance", "checked_in_at", "walk_in", "offers", "seeks", "created_at")
        | {
            "wishes": [_name(w.person) for w in r.wishes.all()],
            "avoids": [_name(a.person) for a in r.avoids.all()],
        }
        for r in Registration.objects.filter(person=person)
        .select_related("event")
        .order_by("created_at", "id")
    ]
    data["speed_meeting_seats"] = [
        {"event": s.plan.event.title, "round": s.round_no, "table": s.table_no}
        for s in Seat.objects.filter(registration__person=person)
        .select_related("plan__event")
        .order_by("plan", "round_no")
    ]
    data["meeting_requests"] = [
        {
            "event": q.event.title,
            "direction": "sent" if q.sender.person_id == person.pk else "received",
            "other": _name(q.recipient.person if q.sender.person_id == person.pk else q.sender.person),
            "message": q.message if q.sender.person_id == person.pk else "",
        }
        | _row(q, "status", "priority", "slot", "table", "created_at", "answered_at")
        for q in MeetingRequest.objects.filter(Q(sender__person=person) | Q(recipient__person=person))
        .select_related("event", "sender__person", "recipient__person")
        .order_by("created_at", "id")
    ]
    data["meeting_feedback_given"] = [
        {"event": f.event.title, "other": _name(f.other.person)}
        | _row(f, "useful", "follow_up", "contract_signed", "amount", "created_at")
        for f in MeetingRating.objects.filter(rater__person=person)
        .select_related("event", "other__person")
        .order_by("created_at", "id")
    ]
    data["attendance_records"] = [
        {"event": a.event.title, "starts_at": _value(a.event.starts_at)}
        | _row(a, "status", "substitute_name", "recorded_at")
        for a in AttendanceRecord.objects.filter(person=person)
        .select_related("event")
        .order_by("event__starts_at")
    ]
    data["referrals"] = [
        {
            "network": r.network.name,
            "direction": "given" if r.giver_id == person.pk else "received",
            "other": _name(r.recipient if r.giver_id == person.pk else r.giver),
        }
        | _row(
            r,
            "subject",
            "details",
            "temperature",
            "prospect_name",
            "prospect_company",
            "prospect_email",
            "prospect_phone",
            "given_on",
            "business_closed",
            "amount",
            "closed_on",
        )
        for r in Referral.objects.filter(Q(giver=person) | Q(recipient=person))
        .select_related("network", "giver", "recipient")
        .order_by("given_on", "id")
    ]
    data["dues"] = [
        {"network": p.membership.network.name} | _row(p, "start", "end", "amount", "paid_on")
        for p in DuesPeriod.objects.filter(membership__person=person)
        .select_related("membership__network")
        .order_by("start")
    ]
    # That the person answered the barometer, never what: answers hold no person.
    data["barometer_answered"] = [
        {"network": b.network.name, "period": b.period}
        for b in BarometerReceipt.objects.filter(person=person).select_related("network").order_by("period")
    ]
    data["visitors_invited"] = [
        {"network": v.network.name, "name": v.name, "status": v.status, "created_at": _value(v.created_at)}
        for v in Visitor.objects.filter(invited_by=person).select_related("network")
    ]
    data["invitations_sent"] = [
        {
            "network": p.network.name,
            "email": p.email,
            "created_at": _value(p.created_at),
            "expires_at": _value(p.expires_at),
        }
        for p in Proposal.objects.filter(sponsor=person).select_related("network")
    ]
    feed = getattr(person, "calendar_feed", None)
    data["calendar_feed"] = {"created_at": _value(feed.created_at)} if feed else None
    return data


def user_exports(user: User) -> list[DataExport]:
    return list(
        DataExport.objects.filter(user=user)
        .defer("json_data", "html_summary")
        .order_by("-requested_at", "-id")
    )


def user_export(user: User, pk: int) -> DataExport | None:
    """One of the account's own exports; another account's answers None."""
    return DataExport.objects.filter(user=user, pk=pk).first()


def presided_networks(person: Person) -> list[str]:
    """Names of the networks this person presides (they hand the role over before erasing)."""
    return list(
        Membership.objects.active()
        .filter(person=person, role="president")
        .values_list("network__name", flat=True)
    )
