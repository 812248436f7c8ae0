"""Admissions: applications, co-optation (sponsors and invitations) and the board's decisions.

Each function is one transaction, under the network's row lock
(:func:`~meute.networks.services.seats.locked_network`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.audit.services import audit_log
from meute.core.locking import locked
from meute.networks.models import OPEN_STATUSES, AdmissionMode, Membership, Network, Proposal, Status
from meute.networks.permissions import person_is_active_member
from meute.networks.services import Actor
from meute.networks.services.professions import check_profession
from meute.networks.services.seats import (
    expire_offers,
    has_free_seat,
    locked_network,
    next_queue_position,
    offer_free_seats,
    put_on_waitlist,
    reread,
    settle,
)
from meute.networks.tasks import send_proposal_email

# How long a member's invitation to apply stays valid, and how many a member may send a day
# (each sends an e-mail to an address the member types).
PROPOSAL_DAYS = 30
PROPOSALS_PER_DAY = 10


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
        Membership.objects.active()
        .filter(network=network)
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
        and person_is_active_member(proposal.sponsor_id, proposal.network_id)
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
        network = locked_network(network)
        sponsor: Person | None = None
        confirmed_at: dt.datetime | None = None
        if invitation is not None:
            invitation = locked(Proposal, invitation.pk, related=("network",))
            if invitation.network_id != network.pk or not proposal_valid(invitation, now=now):
                raise ValidationError(invitation_invalid_message())
            if invitation.sponsor_id == person.pk:
                raise ValidationError(_("Vous ne pouvez pas accepter votre propre invitation."))
            sponsor = invitation.sponsor
            if invitation.email.lower() in emails_of(person):
                confirmed_at = now
        current = Membership.objects.filter(person=person, network=network, status__in=OPEN_STATUSES).first()
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
        expire_offers(network, now)
        check_profession(network, person)
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
                fields["queue_position"] = next_queue_position(network)
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
    now = now or timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        network = locked_network(network)
        if network.admission_mode != AdmissionMode.COOPTATION:
            raise ValidationError(_("Ce réseau ne recrute pas par cooptation."))
        if not Membership.objects.active().filter(person=sponsor, network=network).exists():
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
        network = locked_network(membership.network)
        membership = reread(membership, network)
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
        network = locked_network(membership.network)
        membership = reread(membership, network)
        if membership.status != Status.APPLIED:
            raise ValidationError(_("Cette candidature n'attend plus de décision."))
        if membership.awaits_sponsor:
            raise ValidationError(_("Le parrain ou la marraine n'a pas encore confirmé cette candidature."))
        if network.admission_mode == AdmissionMode.COOPTATION and membership.sponsor_confirmed_at is None:
            raise ValidationError(_("Ce réseau recrute par cooptation : la candidature doit être parrainée."))
        expire_offers(network, now)
        check_profession(network, membership.person)
        membership.decided_at = now
        if has_free_seat(network):
            membership.status = Status.ACTIVE
            membership.start_date = timezone.localdate(now)
            summary = _("Candidature de %(p)s acceptée")
        else:
            put_on_waitlist(membership, network)
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
        network = locked_network(membership.network)
        membership = reread(membership, network)
        if membership.status not in (Status.APPLIED, Status.WAITLISTED):
            raise ValidationError(
                _("Seule une candidature ou une inscription en liste d'attente peut être refusée.")
            )
        had_offer = membership.offer_expires_at is not None
        settle(membership, status=Status.REFUSED, now=now, reason=reason.strip())
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
            offer_free_seats(network, now)
        return membership
