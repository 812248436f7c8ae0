"""My data (RGPD): export, erasure, retention. Writes, one transaction each.

- :func:`export_request` queues the export task; :func:`export_build` writes the
  JSON file and the readable summary, valid :data:`EXPORT_VALIDITY`;
- :func:`account_erase` deletes the account and anonymises the person, keeping
  memberships, registrations, attendance and meetings as anonymous rows;
- :func:`retention_purge` applies the periods of docs/privacy.md.
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Organisation, Person, SignupRequest, User
from meute.audit.services import audit_log
from meute.events.models import CalendarFeed, MeetingRequest, Registration, RegistrationStatus
from meute.events.services import registration_cancel
from meute.networks.models import Membership, Proposal, Role, Status
from meute.networks.services.memberships import membership_leave
from meute.privacy import tasks
from meute.privacy.exports import EXPORT_VALIDITY
from meute.privacy.models import DataExport, ExportStatus
from meute.privacy.selectors import presided_networks

#: How long an export's files and link stay valid.
EXPORT_SALT = "meute.privacy.export"
#: An account nobody logged in to for this long is erased by the retention job.
INACTIVE_ACCOUNT = dt.timedelta(days=3 * 365)
#: Log-in records (successes and failures) are kept this long.
LOGIN_RECORDS = dt.timedelta(days=365)
#: Expired or revoked API tokens are kept this long afterwards, then deleted.
DEAD_TOKENS = dt.timedelta(days=90)

ANONYMOUS_FIRST_NAME = "Personne"
ANONYMOUS_LAST_NAME = "supprimée"
ANONYMOUS_COMPANY = "Entreprise anonymisée"


# --------------------------------------------------------------------------- export


def export_request(*, user: User, now: dt.datetime | None = None) -> DataExport:
    """Ask for an export; the task builds it once this commits (at once in the embedded set-up)."""
    export = DataExport.objects.create(user=user, requested_at=now or timezone.now())
    export_id = export.pk
    transaction.on_commit(lambda: tasks.build_export.enqueue(export_id))
    return export


def export_token(export: DataExport) -> str:
    """The signed part of the download link: names the export, valid EXPORT_VALIDITY."""
    return signing.dumps({"export": export.pk, "user": export.user_id}, salt=EXPORT_SALT)


def export_from_token(*, token: str, user: User, now: dt.datetime | None = None) -> DataExport | None:
    """The ready export a link names, if signed, less than 7 days old and the caller's own."""
    try:
        payload = signing.loads(token, salt=EXPORT_SALT, max_age=EXPORT_VALIDITY)
    except signing.BadSignature:
        return None
    if (
        not isinstance(payload, dict)
        or payload.get("user") != user.pk
        or not isinstance(payload.get("export"), int)
    ):
        return None
    export = DataExport.objects.filter(
        pk=int(payload["export"]), user=user, status=ExportStatus.READY
    ).first()
    if export is None or export.expires_at is None or export.expires_at <= (now or timezone.now()):
        return None
    return export


# --------------------------------------------------------------------------- erasure


def erasure_blockers(person: Person | None) -> list[str]:
    """Why the account cannot be erased yet, as sentences: the roles to hand over first."""
    if person is None:
        return []
    reasons = [
        _("Vous présidez %(network)s : transmettez d'abord la présidence à un autre membre.") % {"network": n}
        for n in presided_networks(person)
    ]
    for m in (
        Membership.objects.managing()
        .filter(person=person)
        .exclude(role=Role.PRESIDENT)
        .select_related("network")
    ):
        others = Membership.objects.managing().filter(network=m.network).exclude(pk=m.pk).exists()
        if not others:
            reasons.append(
                _("Vous êtes seul(e) à gérer %(network)s : nommez d'abord un autre membre du bureau.")
                % {"network": m.network.name}
            )
    return reasons


def _anonymise(person: Person) -> None:
    if person.photo:
        # The file goes with the row's reference, once the erasure is saved for good.
        storage, name = person.photo.storage, person.photo.name or ""
        transaction.on_commit(lambda: storage.delete(name))
    org = person.organisation
    if org is not None:
        # Sector, commune and size stay for the figures; the name, SIREN and texts go.
        org = Organisation.objects.create(
            name=ANONYMOUS_COMPANY, naf=org.naf, commune=org.commune, headcount=org.headcount
        )
    Person.objects.filter(pk=person.pk).update(
        user=None,
        first_name=ANONYMOUS_FIRST_NAME,
        last_name=ANONYMOUS_LAST_NAME,
        email="",
        phone="",
        job_title="",
        trade="",
        offers="",
        seeks="",
        tags=[],
        languages=[],
        photo="",
        is_decision_maker=False,
        organisation=org,
    )


def account_erase(*, user: User, now: dt.datetime | None = None) -> int | None:
    """Delete the account and anonymise its person; returns the anonymous person's id.

    Kept, as anonymous rows, so that networks' figures and published statistics
    do not change: memberships (open ones end today), past registrations and
    attendance, meeting seats, ratings, referrals, dues periods, barometer
    receipts. Deleted: the account (so no log-in), the name, contact details,
    texts, consents, calendar feed, API tokens, exports, log-in records,
    unsent invitations; upcoming registrations are cancelled (the places go
    to the waiting list). An audit entry records the erasure without any
    personal data; a last e-mail goes to the address once this commits.
    Raises ValidationError while the person presides a network or alone runs one.
    """

    now = now or timezone.now()
    person: Person | None = getattr(user, "person", None)
    blockers = erasure_blockers(person)
    if blockers:
        raise ValidationError(blockers)
    email = user.email
    with transaction.atomic():
        person_id = None
        if person is not None:
            person_id = person.pk
            _anonymise(person)
            person.refresh_from_db()
            for r in Registration.objects.filter(
                person=person,
                status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
                event__starts_at__gt=now,
            ).select_related("event"):
                registration_cancel(registration=r)
            Registration.objects.filter(person=person).update(offers="", seeks="", available_slots=[])
            for r in Registration.objects.filter(person=person):
                r.wishes.clear()
                r.avoids.clear()
            MeetingRequest.objects.filter(sender__person=person).update(message="")
            for m in Membership.objects.active().filter(person=person).select_related("network"):
                membership_leave(membership=m, actor=None, now=now)
            Membership.objects.filter(person=person, status__in=[Status.APPLIED, Status.WAITLISTED]).update(
                status=Status.LEFT,
                queue_position=None,
                offered_at=None,
                offer_expires_at=None,
                decided_at=now,
            )
            Proposal.objects.filter(sponsor=person, membership__isnull=True).delete()
            CalendarFeed.objects.filter(person=person).delete()
            person.consents.all().delete()
        for model in (AccessLog, AccessFailureLog, AccessAttempt):
            model.objects.filter(username__iexact=email).delete()
        audit_log(
            actor=None,
            action="account.erase",
            summary=_("Compte supprimé à la demande de la personne ; ses données sont anonymisées"),
            target=person if person is not None else None,
        )
        user.delete()
        transaction.on_commit(lambda: tasks.send_farewell_email.enqueue(email))
    return person_id


# --------------------------------------------------------------------------- retention


def retention_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Apply the retention periods of docs/privacy.md; returns how many rows of each kind went.

    Inactive accounts (no log-in for INACTIVE_ACCOUNT; never logged in: since
    sign-up) are erased as by :func:`account_erase`, except CCI staff and those
    who must hand over a role first (counted in ``inactive_blocked``).
    """
    now = now or timezone.now()
    done = {
        "access_tokens": 0,
        "exports": 0,
        "login_records": 0,
        "signup_requests": 0,
        "inactive_accounts": 0,
        "inactive_blocked": 0,
    }
    cutoff = now - INACTIVE_ACCOUNT
    inactive = User.objects.filter(is_staff=False, is_superuser=False).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    for user in inactive.select_related("person"):
        if erasure_blockers(getattr(user, "person", None)):
            done["inactive_blocked"] += 1
            continue
        done["inactive_accounts"] += 1
        if not dry_run:
            account_erase(user=user, now=now)
    expired = DataExport.objects.filter(expires_at__lte=now)
    stale = DataExport.objects.filter(status=ExportStatus.PENDING, requested_at__lt=now - EXPORT_VALIDITY)
    old_logins = [
        m.objects.filter(attempt_time__lt=now - LOGIN_RECORDS) for m in (AccessLog, AccessFailureLog)
    ]
    signups = SignupRequest.objects.filter(created_at__lt=now - dt.timedelta(hours=1))
    # The API app stands above this one (import-linter layers): its model is looked up by name.
    tokens = apps.get_model("api", "AccessToken").objects.filter(
        Q(expires_at__lt=now - DEAD_TOKENS) | Q(revoked_at__lt=now - DEAD_TOKENS)
    )
    done["access_tokens"] = tokens.count()
    done["exports"] = expired.count() + stale.count()
    done["login_records"] = sum(q.count() for q in old_logins)
    done["signup_requests"] = signups.count()
    if not dry_run:
        with transaction.atomic():
            expired.delete()
            stale.delete()
            for q in old_logins:
                q.delete()
            signups.delete()
            tokens.delete()
    return done
