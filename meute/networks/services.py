"""Writes on networks and memberships: each function is one transaction.

Seats are changed only under a row lock on the network (`_locked`). A seat
offered to the first person of the waiting list is reserved for them until the
offer expires, so the seats taken are the active members plus the live offers.
Every manager action writes an audit entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person, User
from meute.audit.services import audit_log
from meute.networks.models import MANAGER_ROLES, AdmissionMode, Membership, Network, Proposal, Role, Status

# How long the first person of the waiting list has to accept a seat.
SEAT_OFFER_DAYS = 7
# How long a member's invitation to apply stays valid, and how many a member may send a day
# (each sends an e-mail to an address the member types).
PROPOSAL_DAYS = 30
PROPOSALS_PER_DAY = 10

Actor = User | AnonymousUser | None


class ProfessionTaken(ValidationError):
    """The applicant's profession already has its seat in a one-seat-per-profession network."""


def _locked(network: Network) -> Network:
    # Locking the network row serialises every change of its seats (PostgreSQL);
    # SQLite serialises writers anyway (IMMEDIATE transactions in settings).
    return Network.objects.select_for_update().get(pk=network.pk)


def profession_of(person: Person) -> tuple[str, str] | None:
    """The profession a seat stands for: the NAF class of the person's company, else their declared trade."""
    organisation = person.organisation
    if organisation is not None and organisation.naf is not None:
        return ("naf", organisation.naf.class_code)
    trade = " ".join(person.trade.split()).casefold()
    return ("trade", trade) if trade else None


def profession_label(person: Person) -> str:
    organisation = person.organisation
    if organisation is not None and organisation.naf is not None:
        return organisation.naf.label
    return person.trade.strip()


def profession_taken(*, network: Network, person: Person) -> bool:
    """Whether another active member of `network` already holds the seat of this person's profession."""
    if not network.one_seat_per_profession:
        return False
    key = profession_of(person)
    if key is None:
        return False
    holders = (
        Membership.objects.filter(network=network, status=Status.ACTIVE)
        .exclude(person=person)
        .select_related("person__organisation__naf")
    )
    return any(profession_of(m.person) == key for m in holders)


def _check_profession(network: Network, person: Person) -> None:
    if profession_taken(network=network, person=person):
        raise ProfessionTaken(
            _(
                "Un seul siège par métier dans ce réseau : le métier « %(p)s » y est déjà représenté "
                "par un membre actif."
            )
            % {"p": profession_label(person)},
            code="profession_taken",
        )


def _seats_taken(network: Network) -> int:
    """Active members plus seats offered and not yet answered (call after `_expire_offers`)."""
    return (
        Membership.objects.filter(network=network, status=Status.ACTIVE).count()
        + Membership.objects.filter(
            network=network, status=Status.WAITLISTED, offer_expires_at__isnull=False
        ).count()
    )


def has_free_seat(network: Network) -> bool:
    return network.member_cap is None or _seats_taken(network) < network.member_cap


def _next_queue_position(network: Network) -> int:
    last = Membership.objects.filter(network=network, status=Status.WAITLISTED).aggregate(
        m=Max("queue_position")
    )
    return (last["m"] or 0) + 1


def _waitlist(membership: Membership, network: Network) -> None:
    membership.status = Status.WAITLISTED
    membership.queue_position = _next_queue_position(network)
    membership.offered_at = membership.offer_expires_at = None


def _expire_offers(network: Network, now: dt.datetime) -> list[Membership]:
    """Offers past their deadline count as declined (lazily, under the lock)."""
    expired = list(
        Membership.objects.filter(network=network, status=Status.WAITLISTED, offer_expires_at__lte=now)
    )
    for m in expired:
        m.status = Status.DECLINED
        m.decided_at = now
        m.reason = _("offre de place expirée sans réponse")
        m.queue_position = None
        m.save()
        audit_log(
            actor=None,
            action="membership.offer_expire",
            summary=_("Offre de place expirée : %(p)s") % {"p": m.person},
            network=network,
            target=m,
        )
    return expired


def _offer_free_seats(network: Network, now: dt.datetime) -> list[Membership]:
    """Offer each free seat to the next person of the waiting list, in order; they are e-mailed."""
    from meute.networks.tasks import send_seat_offer_email

    offered: list[Membership] = []
    if network.member_cap is None:
        # No cap (any more): everyone waiting may come in; they still accept the seat.
        free = Membership.objects.filter(network=network, status=Status.WAITLISTED).count()
    else:
        free = network.member_cap - _seats_taken(network)
    if free <= 0:
        return offered
    queue = Membership.objects.filter(
        network=network, status=Status.WAITLISTED, offer_expires_at__isnull=True
    ).order_by("queue_position", "created_at", "id")[:free]
    for m in queue:
        m.offered_at = now
        m.offer_expires_at = now + dt.timedelta(days=SEAT_OFFER_DAYS)
        m.save(update_fields=["offered_at", "offer_expires_at", "updated_at"])
        audit_log(
            actor=None,
            action="membership.offer",
            summary=_("Place proposée à %(p)s (liste d'attente)") % {"p": m.person},
            network=network,
            target=m,
            details={"expires_at": m.offer_expires_at.isoformat()},
        )
        pk = m.pk
        transaction.on_commit(lambda pk=pk: send_seat_offer_email.enqueue(pk))  # type: ignore[misc]
        offered.append(m)
    return offered


def _refresh(membership: Membership, network: Network) -> Membership:
    # The caller's copy may be stale: read it again under the network's lock.
    return Membership.objects.select_related("person", "person__organisation__naf", "person__user").get(
        pk=membership.pk, network=network
    )


def emails_of(person: Person) -> set[str]:
    """The addresses a person is known by (their record's and their account's), lower-cased."""
    found = {person.email, person.user.email if person.user_id and person.user else ""}
    return {e.strip().lower() for e in found if e and e.strip()}


def _active_member_by_email(network: Network, email: str) -> Person | None:
    # Looked up among this network's active members only, and never told to the caller's user.
    email = email.strip()
    if not email:
        return None
    membership = (
        Membership.objects.filter(network=network, status=Status.ACTIVE)
        .filter(Q(person__email__iexact=email) | Q(person__user__email__iexact=email))
        .select_related("person")
        .order_by("id")
        .first()
    )
    return membership.person if membership else None


def proposal_valid(proposal: Proposal, *, now: dt.datetime | None = None) -> bool:
    """Whether the invitation may still be used: unused, not expired, the network still by
    co-optation and its sponsor still an active member."""
    now = now or timezone.now()
    return (
        proposal.membership_id is None
        and proposal.expires_at > now
        and proposal.network.admission_mode == AdmissionMode.COOPTATION
        and Membership.objects.filter(
            person_id=proposal.sponsor_id, network_id=proposal.network_id, status=Status.ACTIVE
        ).exists()
    )


def membership_request(
    *,
    person: Person,
    network: Network,
    sponsor_email: str = "",
    invitation: Proposal | None = None,
    charter_accepted: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Membership:
    """A person asks to join a network, following its admission mode.

    Open networks admit at once while seats are left, then waitlist; networks on
    application record an application for the board; networks by co-optation
    need an active member as sponsor, who confirms before the board decides.

    Co-optation: the sponsor is looked up by `sponsor_email` among the network's
    active members; an address that is none of theirs is dropped without a word
    and the application waits for a member to vouch for it. The applicant gets
    the same answer either way, so the join form tells no one who is a member.
    An `invitation` (a member's proposal, opened from its e-mail) brings that
    member's sponsorship: confirmed at once when the applicant is known by the
    invited address, else to be confirmed by the member (a link may be passed
    on). It also sponsors an application already waiting for a sponsor.

    A network with a charter needs it accepted (version and date are kept). A
    one-seat-per-profession network refuses a profession already seated
    (`ProfessionTaken`). Raises ValidationError naming the field at fault.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    with transaction.atomic():
        network = _locked(network)
        sponsor: Person | None = None
        confirmed_at: dt.datetime | None = None
        if invitation is not None:
            invitation = Proposal.objects.select_for_update().select_related("network").get(pk=invitation.pk)
            if invitation.network_id != network.pk or not proposal_valid(invitation, now=now):
                raise ValidationError(invitation_invalid_message())
            if invitation.sponsor_id == person.pk:
                raise ValidationError(_("Vous ne pouvez pas accepter votre propre invitation."))
            sponsor = invitation.sponsor
            if invitation.email.lower() in emails_of(person):
                confirmed_at = now
        current = Membership.objects.filter(
            person=person, network=network, status__in=[Status.APPLIED, Status.ACTIVE, Status.WAITLISTED]
        ).first()
        if current is not None:
            if (
                invitation is not None
                and current.status == Status.APPLIED
                and current.sponsor_confirmed_at is None
            ):
                # An application that waited for a sponsor gets the one who invited the person.
                current.sponsor, current.sponsor_confirmed_at = sponsor, confirmed_at
                current.save(update_fields=["sponsor", "sponsor_confirmed_at", "updated_at"])
                _invitation_used(invitation, current, person)
                return current
            raise ValidationError(
                _("Vous avez déjà une adhésion ou une candidature en cours dans ce réseau.")
            )
        if network.charter.strip() and not charter_accepted:
            raise ValidationError(
                {"accept_charter": _("Acceptez la charte du réseau pour demander à le rejoindre.")}
            )
        if network.admission_mode == AdmissionMode.COOPTATION and invitation is None:
            if sponsor_email.strip().lower() in emails_of(person):
                raise ValidationError(
                    {"sponsor_email": _("Indiquez l'e-mail d'un membre du réseau, pas le vôtre.")}
                )
            sponsor = _active_member_by_email(network, sponsor_email)
        _expire_offers(network, now)
        _check_profession(network, person)
        fields: dict[str, Any] = {"person": person, "network": network, "status": Status.APPLIED}
        if network.admission_mode == AdmissionMode.COOPTATION:
            fields["sponsor"], fields["sponsor_confirmed_at"] = sponsor, confirmed_at
        if network.charter.strip():
            fields["charter_version"] = network.charter_version
            fields["charter_accepted_at"] = now
        if network.admission_mode == AdmissionMode.OPEN:
            if has_free_seat(network):
                fields["status"], fields["start_date"] = Status.ACTIVE, today
            else:
                fields["status"] = Status.WAITLISTED
                fields["queue_position"] = _next_queue_position(network)
        try:
            with transaction.atomic():
                membership = Membership.objects.create(**fields)
        except IntegrityError as exc:  # a concurrent request of the same person won the race
            raise ValidationError(
                _("Vous avez déjà une adhésion ou une candidature en cours dans ce réseau.")
            ) from exc
        if invitation is not None:
            _invitation_used(invitation, membership, person)
        return membership


def _invitation_used(invitation: Proposal, membership: Membership, person: Person) -> None:
    invitation.membership = membership
    invitation.save(update_fields=["membership"])
    audit_log(
        actor=person.user,
        action="membership.invitation_accept",
        summary=_("%(p)s candidate sur l'invitation de %(s)s") % {"p": person, "s": invitation.sponsor},
        network=membership.network,
        target=membership,
        details={"confirmed": membership.sponsor_confirmed_at is not None},
    )


def invitation_invalid_message() -> str:
    return _(
        "Cette invitation n'est plus valable (expirée ou déjà utilisée) : demandez à un membre "
        "du réseau de vous inviter à nouveau."
    )


def membership_propose(
    *,
    sponsor: Person,
    email: str,
    network: Network,
    actor: Actor = None,
    site_url: str = "",
    now: dt.datetime | None = None,
) -> Proposal:
    """An active member of a network by co-optation invites an address to apply, with their sponsorship.

    Files no application: the address gets an e-mail with a link (on commit),
    from which whoever owns it applies if they wish (`membership_request` with
    the invitation). The result is the same whoever the address belongs to, so
    the member learns nothing about it. Refuses, naming the field, the
    member's own address, an address they already invited and whose invitation
    runs, and more than PROPOSALS_PER_DAY invitations a day. `site_url` starts
    the link in the e-mail (the path alone without it).
    """
    from meute.networks.tasks import send_proposal_email

    now = now or timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        network = _locked(network)
        if network.admission_mode != AdmissionMode.COOPTATION:
            raise ValidationError(_("Ce réseau ne recrute pas par cooptation."))
        if not Membership.objects.filter(person=sponsor, network=network, status=Status.ACTIVE).exists():
            raise ValidationError(_("Seul un membre actif peut proposer quelqu'un."))
        if email in emails_of(sponsor):
            raise ValidationError({"email": _("Vous ne pouvez pas vous proposer vous-même.")})
        # Expired invitations nobody used keep an address for nothing: they go.
        Proposal.objects.filter(expires_at__lte=now, membership__isnull=True).delete()
        mine = Proposal.objects.filter(sponsor=sponsor, network=network, email=email, membership__isnull=True)
        if mine.exists():
            raise ValidationError(
                {
                    "email": _("Vous avez déjà invité cette adresse ; l'invitation court jusqu'au %(d)s.")
                    % {"d": formats.date_format(timezone.localtime(mine.latest("expires_at").expires_at))}
                }
            )
        sent_today = Proposal.objects.filter(
            sponsor=sponsor, created_at__gt=now - dt.timedelta(days=1)
        ).count()
        if sent_today >= PROPOSALS_PER_DAY:
            raise ValidationError(
                _("Vous avez envoyé %(n)d invitations en 24 heures : réessayez demain.") % {"n": sent_today}
            )
        proposal = Proposal.objects.create(
            network=network, sponsor=sponsor, email=email, expires_at=now + dt.timedelta(days=PROPOSAL_DAYS)
        )
        audit_log(
            actor=actor,
            action="membership.propose",
            summary=_("%(s)s invite %(e)s à candidater") % {"s": sponsor, "e": email},
            network=network,
            target=proposal,
        )
        pk = proposal.pk
        transaction.on_commit(lambda: send_proposal_email.enqueue(pk, site_url))  # type: ignore[arg-type]
        return proposal


def membership_sponsor_answer(
    *,
    membership: Membership,
    sponsor: Person,
    confirm: bool,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Membership:
    """The named sponsor confirms (the board then decides) or declines (the application is refused)."""
    now = now or timezone.now()
    with transaction.atomic():
        network = _locked(membership.network)
        membership = _refresh(membership, network)
        if membership.sponsor_id != sponsor.pk or not membership.awaits_sponsor:
            raise ValidationError(
                _("Aucun parrainage de votre part n'attend de réponse pour cette candidature.")
            )
        if confirm:
            membership.sponsor_confirmed_at = now
            summary = _("%(s)s confirme parrainer %(p)s")
        else:
            if not reason.strip():
                raise ValidationError(
                    {"reason": _("Indiquez pourquoi vous ne parrainez pas cette candidature.")}
                )
            membership.status = Status.REFUSED
            membership.reason = reason.strip()
            membership.decided_at = now
            summary = _("%(s)s refuse de parrainer %(p)s")
        membership.save()
        audit_log(
            actor=sponsor.user,
            action="membership.sponsor_confirm" if confirm else "membership.sponsor_decline",
            summary=summary % {"s": sponsor, "p": membership.person},
            network=network,
            target=membership,
        )
        return membership


def membership_approve(*, membership: Membership, actor: Actor, now: dt.datetime | None = None) -> Membership:
    """The board admits an applicant: active if a seat is free, else at the end of the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        network = _locked(membership.network)
        membership = _refresh(membership, network)
        if membership.status != Status.APPLIED:
            raise ValidationError(_("Cette candidature n'attend plus de décision."))
        if membership.awaits_sponsor:
            raise ValidationError(_("Le parrain ou la marraine n'a pas encore confirmé cette candidature."))
        if network.admission_mode == AdmissionMode.COOPTATION and membership.sponsor_confirmed_at is None:
            raise ValidationError(_("Ce réseau recrute par cooptation : la candidature doit être parrainée."))
        _expire_offers(network, now)
        _check_profession(network, membership.person)
        membership.decided_at = now
        if has_free_seat(network):
            membership.status = Status.ACTIVE
            membership.start_date = timezone.localdate(now)
            summary = _("Candidature de %(p)s acceptée")
        else:
            _waitlist(membership, network)
            summary = _("Candidature de %(p)s acceptée : réseau complet, placée en liste d'attente")
        membership.save()
        audit_log(
            actor=actor,
            action="membership.approve",
            summary=summary % {"p": membership.person},
            network=network,
            target=membership,
            details={"status": membership.status},
        )
        return membership


def membership_refuse(
    *, membership: Membership, actor: Actor, reason: str, now: dt.datetime | None = None
) -> Membership:
    """The board refuses an application or takes someone off the waiting list, with a reason the person sees."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus : la personne le verra.")})
    with transaction.atomic():
        network = _locked(membership.network)
        membership = _refresh(membership, network)
        if membership.status not in (Status.APPLIED, Status.WAITLISTED):
            raise ValidationError(
                _("Seule une candidature ou une inscription en liste d'attente peut être refusée.")
            )
        had_offer = membership.offer_expires_at is not None
        membership.status = Status.REFUSED
        membership.reason = reason.strip()
        membership.decided_at = now
        membership.queue_position = None
        membership.offered_at = membership.offer_expires_at = None
        membership.save()
        audit_log(
            actor=actor,
            action="membership.refuse",
            summary=_("Candidature de %(p)s refusée") % {"p": membership.person},
            network=network,
            target=membership,
            details={"reason": membership.reason},
        )
        if had_offer:
            _offer_free_seats(network, now)
        return membership


def membership_leave(
    *, membership: Membership, actor: Actor, end_date: dt.date | None = None, now: dt.datetime | None = None
) -> Membership:
    """A member leaves (or a manager marks them as left on a date); the seat goes to the first in line."""
    now = now or timezone.now()
    end_date = end_date or timezone.localdate(now)
    with transaction.atomic():
        network = _locked(membership.network)
        membership = _refresh(membership, network)
        if membership.status != Status.ACTIVE:
            raise ValidationError(_("Seul un membre actif peut quitter le réseau."))
        if membership.start_date and end_date < membership.start_date:
            raise ValidationError(
                {
                    "end_date": _("La date de départ ne peut pas précéder l'adhésion (%(d)s).")
                    % {"d": membership.start_date}
                }
            )
        if end_date > timezone.localdate(now):
            # the departure takes effect at once (the seat is offered): note it on the day
            raise ValidationError(
                {
                    "end_date": _(
                        "La date de départ ne peut pas être dans le futur : notez le départ le jour venu."
                    )
                }
            )
        if membership.role in MANAGER_ROLES and not _another_manager(network, membership):
            raise ValidationError(
                _(
                    "Le réseau n'aurait plus personne pour le gérer : nommez d'abord un autre membre "
                    "du bureau."
                )
            )
        membership.status = Status.LEFT
        membership.end_date = end_date
        membership.save()
        audit_log(
            actor=actor,
            action="membership.leave",
            summary=_("%(p)s quitte le réseau le %(d)s")
            % {"p": membership.person, "d": formats.date_format(end_date, "SHORT_DATE_FORMAT")},
            network=network,
            target=membership,
        )
        _expire_offers(network, now)
        _offer_free_seats(network, now)
        return membership


def _another_manager(network: Network, membership: Membership) -> bool:
    """Whether someone else on the board still runs the network without this member."""
    return (
        Membership.objects.filter(network=network, status=Status.ACTIVE, role__in=MANAGER_ROLES)
        .exclude(pk=membership.pk)
        .exists()
    )


def membership_set_role(*, membership: Membership, actor: Actor, role: str) -> Membership:
    """A manager changes an active member's role."""
    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu : %(r)s") % {"r": role}})
    with transaction.atomic():
        network = _locked(membership.network)
        membership = _refresh(membership, network)
        if membership.status != Status.ACTIVE:
            raise ValidationError({"role": _("Seul un membre actif a un rôle.")})
        old = membership.role
        if old in MANAGER_ROLES and role not in MANAGER_ROLES and not _another_manager(network, membership):
            raise ValidationError({"role": _("Le réseau doit garder au moins un membre du bureau.")})
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        audit_log(
            actor=actor,
            action="membership.role",
            summary=_("%(p)s, changement de rôle : %(old)s → %(new)s")
            % {"p": membership.person, "old": Role(old).label, "new": Role(role).label},
            network=network,
            target=membership,
            details={"from": old, "to": role},
        )
        return membership


def waitlist_move(*, membership: Membership, actor: Actor, up: bool) -> Membership:
    """A manager moves someone one place up or down the waiting list."""
    with transaction.atomic():
        network = _locked(membership.network)
        membership = _refresh(membership, network)
        if membership.status != Status.WAITLISTED:
            raise ValidationError(_("Cette personne n'est pas sur la liste d'attente."))
        queue = list(
            Membership.objects.filter(network=network, status=Status.WAITLISTED).order_by(
                "queue_position", "created_at", "id"
            )
        )
        index = next(i for i, m in enumerate(queue) if m.pk == membership.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(queue):
            raise ValidationError(_("Cette personne est déjà en tête ou en fin de liste."))
        queue[index], queue[other] = queue[other], queue[index]
        for position, m in enumerate(queue, start=1):
            if m.queue_position != position:
                m.queue_position = position
                m.save(update_fields=["queue_position", "updated_at"])
        audit_log(
            actor=actor,
            action="membership.waitlist_move",
            summary=_("%(p)s passe au rang %(n)d de la liste d'attente")
            % {"p": membership.person, "n": other + 1},
            network=network,
            target=membership,
            details={"from": index + 1, "to": other + 1},
        )
        return Membership.objects.get(pk=membership.pk)


def seat_offer_accept(
    *, membership: Membership, person: Person, now: dt.datetime | None = None
) -> Membership:
    """The person accepts the seat offered to them: active at once, never above the cap."""
    now = now or timezone.now()
    # Expiry first, in its own transaction: a late answer must not roll the expiry back.
    seat_offers_expire(now=now, network=membership.network)
    with transaction.atomic():
        network = _locked(membership.network)
        membership = _refresh(membership, network)
        if membership.person_id != person.pk:
            raise ValidationError(_("Cette offre ne vous est pas adressée."))
        if membership.status != Status.WAITLISTED or membership.offer_expires_at is None:
            raise ValidationError(_("Aucune place ne vous est proposée, ou l'offre a expiré."))
        active = Membership.objects.filter(network=network, status=Status.ACTIVE).count()
        if network.member_cap is not None and active >= network.member_cap:
            raise ValidationError(_("Le réseau est complet : la place n'est plus disponible."))
        _check_profession(network, membership.person)
        membership.status = Status.ACTIVE
        membership.start_date = timezone.localdate(now)
        membership.queue_position = None
        membership.decided_at = now
        membership.offered_at = membership.offer_expires_at = None
        membership.save()
        audit_log(
            actor=person.user,
            action="membership.offer_accept",
            summary=_("%(p)s accepte la place proposée") % {"p": membership.person},
            network=network,
            target=membership,
        )
        return membership


def seat_offer_decline(
    *, membership: Membership, person: Person, now: dt.datetime | None = None
) -> Membership:
    """The person declines the seat; it is offered to the next in line."""
    now = now or timezone.now()
    seat_offers_expire(now=now, network=membership.network)
    with transaction.atomic():
        network = _locked(membership.network)
        membership = _refresh(membership, network)
        if (
            membership.person_id != person.pk
            or membership.status != Status.WAITLISTED
            or membership.offer_expires_at is None
        ):
            raise ValidationError(_("Aucune place ne vous est proposée, ou l'offre a expiré."))
        membership.status = Status.DECLINED
        membership.reason = _("place déclinée")
        membership.decided_at = now
        membership.queue_position = None
        membership.offered_at = membership.offer_expires_at = None
        membership.save()
        audit_log(
            actor=person.user,
            action="membership.offer_decline",
            summary=_("%(p)s décline la place proposée") % {"p": membership.person},
            network=network,
            target=membership,
        )
        _offer_free_seats(network, now)
        return membership


def seat_offers_expire(*, now: dt.datetime | None = None, network: Network | None = None) -> int:
    """Expire unanswered seat offers and offer the seats to the next in line; returns how many expired."""
    now = now or timezone.now()
    ids = (
        Membership.objects.filter(status=Status.WAITLISTED, offer_expires_at__lte=now)
        .values_list("network_id", flat=True)
        .distinct()
    )
    if network is not None:
        ids = ids.filter(network=network)
    count = 0
    for network_id in sorted(set(ids)):
        with transaction.atomic():
            locked = _locked(Network(pk=network_id))
            count += len(_expire_offers(locked, now))
            _offer_free_seats(locked, now)
    return count


EDITABLE_FIELDS = (
    "tagline",
    "description",
    "purposes",
    "themes",
    "sectors",
    "territory",
    "commune",
    "rhythm",
    "formats",
    "hours_per_month",
    "member_cap",
    "admission_mode",
    "one_seat_per_profession",
    "refuses_solicitation",
    "charter",
    "charter_version",
    "languages",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "dues_amount",
)


def network_update(*, network: Network, data: dict[str, Any], actor: Actor = None) -> Network:
    """Apply a manager's edit; validates the whole network before saving anything."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Champs non modifiables : %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        network = _locked(network)
        for field, value in data.items():
            setattr(network, field, value)
        if network.member_cap is not None:
            active = Membership.objects.filter(network=network, status=Status.ACTIVE).count()
            if network.member_cap < active:
                raise ValidationError(
                    {
                        "member_cap": _(
                            "le réseau compte déjà %(n)d membres actifs : le plafond ne peut pas être inférieur"
                        )
                        % {"n": active}
                    }
                )
        before = Network.objects.get(pk=network.pk)
        changed = {f: str(getattr(network, f)) for f in data if getattr(before, f) != getattr(network, f)}
        network.full_clean()
        network.save()
        audit_log(
            actor=actor,
            action="network.update",
            summary=_("Fiche du réseau modifiée : %(f)s") % {"f": ", ".join(sorted(changed)) or "—"},
            network=network,
            target=network,
            details=changed,
        )
        # A raised (or removed) cap frees seats for the waiting list.
        _offer_free_seats(network, timezone.now())
    return network
