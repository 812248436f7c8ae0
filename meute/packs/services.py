"""Writes of the packs app: one transaction each, keyword-only arguments.

The team itself is built by the engine (:func:`meute.packs.selectors.tender_team`);
the services here save what people decide about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.networks.models import Network
from meute.packs import notices, selectors
from meute.packs.models import (
    Certification,
    ChecklistItem,
    Collaboration,
    CollaborationSource,
    DocumentKind,
    FirmProfile,
    Invitation,
    InvitationStatus,
    Lot,
    PackDocument,
    Tender,
    TenderStatus,
)
from meute.packs.trades import Trade
from meute.reference.models import Commune

#: The steps of an answer every pack starts with (editable afterwards).
DEFAULT_CHECKLIST = [
    "Lettre de candidature (DC1) signée par chaque membre",
    "Déclaration du candidat (DC2) de chaque membre",
    "Convention de groupement et désignation du mandataire",
    "Mémoire technique commun",
    "Bordereau des prix par lot",
    "Attestations d'assurance décennale",
]

#: Shared documents: these extensions only, 10 MB at most.
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".xlsx", ".odt", ".ods", ".jpg", ".png")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

TRANSITIONS = {
    TenderStatus.DRAFT: {TenderStatus.INVITED},
    TenderStatus.INVITED: {TenderStatus.SUBMITTED, TenderStatus.DRAFT},
    TenderStatus.SUBMITTED: {TenderStatus.WON, TenderStatus.LOST},
    TenderStatus.WON: set(),
    TenderStatus.LOST: set(),
}


@transaction.atomic
def tender_create(
    *,
    network: Network,
    person: Person | None,
    title: str,
    buyer: str,
    commune: Commune,
    deadline: dt.datetime,
    lots: Sequence[dict[str, Any]],
    reference: str = "",
) -> Tender:
    """A tender with its lots and the default checklist. Each lot: code, trade, amount_keur, [title, cert, cpv]."""
    if not lots:
        raise ValidationError(_("Un appel d'offres a au moins un lot."))
    codes = [str(lot["code"]) for lot in lots]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Deux lots portent le même numéro."))
    for lot in lots:
        if lot["trade"] not in Trade.values:
            raise ValidationError(_("Métier inconnu : %(t)s") % {"t": lot["trade"]})
    tender = Tender.objects.create(
        network=network,
        title=title,
        buyer=buyer,
        commune=commune,
        deadline=deadline,
        reference=reference,
        created_by=person,
    )
    Lot.objects.bulk_create(
        Lot(
            tender=tender,
            code=str(lot["code"]),
            title=lot.get("title", ""),
            trade=lot["trade"],
            amount_keur=int(lot["amount_keur"]),
            cert=lot.get("cert") or "",
            cpv=lot.get("cpv", ""),
        )
        for lot in lots
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(tender=tender, label=label, position=i) for i, label in enumerate(DEFAULT_CHECKLIST)
    )
    return tender


def tender_import(*, network: Network, person: Person | None, name: str, data: bytes) -> Tender:
    """A tender from a notice file (JSON or CSV); raises ValidationError listing every problem, imports nothing then."""
    try:
        notice = notices.parse_notice(name, data)
    except notices.NoticeError as exc:
        raise ValidationError(exc.problems) from exc
    return tender_create(
        network=network,
        person=person,
        title=notice.title,
        buyer=notice.buyer,
        commune=notice.commune,
        deadline=notice.deadline,
        reference=notice.reference,
        lots=[
            {
                "code": lot.code,
                "title": lot.title,
                "trade": lot.trade,
                "amount_keur": lot.amount_keur,
                "cert": lot.cert,
                "cpv": lot.cpv,
            }
            for lot in notice.lots
        ],
    )


@transaction.atomic
def tender_set_weights(
    *, tender: Tender, radius_km: float, capacity_share: float, firm_cost: float, together_bonus: float
) -> Tender:
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    tender.radius_km, tender.capacity_share = radius_km, capacity_share
    tender.firm_cost, tender.together_bonus = firm_cost, together_bonus
    tender.save(update_fields=["radius_km", "capacity_share", "firm_cost", "together_bonus"])
    return tender


def _apply_team(tender: Tender, proposal: selectors.TeamProposal) -> list[Invitation]:
    """Give each lot its firm and invite the firms not yet invited; returns the new invitations."""
    new = []
    existing = {i.firm_id: i for i in tender.invitations.all()}
    for line in proposal.lines:
        Lot.objects.filter(pk=line.lot.pk).update(firm=line.firm)
    for firm in proposal.firms:
        if firm.pk not in existing:
            new.append(Invitation.objects.create(tender=tender, firm=firm))
    return new


@transaction.atomic
def team_invite(*, tender: Tender, respond_by: dt.date) -> list[Invitation]:
    """Save the best team and invite its firms to answer by `respond_by`; status draft -> invited."""
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if tender.status != TenderStatus.DRAFT:
        raise ValidationError(_("Les invitations sont déjà parties."))
    if respond_by > tender.deadline.date():
        raise ValidationError(
            {"respond_by": _("La réponse doit arriver avant la date limite de l'appel d'offres.")}
        )
    proposal = selectors.tender_team(tender=tender, alternatives=0)
    if not proposal.found:
        raise ValidationError(_("Aucune équipe ne couvre tous les lots."))
    invitations = _apply_team(tender, proposal)
    tender.status = TenderStatus.INVITED
    tender.respond_by = respond_by
    tender.save(update_fields=["status", "respond_by"])
    _queue_invitation_mails(invitations)
    return invitations


def _queue_invitation_mails(invitations: Iterable[Invitation]) -> None:
    from meute.packs.tasks import send_invitation

    def enqueue(pk: int) -> None:
        send_invitation.enqueue(pk)

    for invitation in invitations:
        transaction.on_commit(partial(enqueue, invitation.pk))


@transaction.atomic
def invitation_respond(*, invitation: Invitation, accept: bool) -> list[Invitation]:
    """Accept or decline. A decline re-solves with that firm left out, keeping the firms that accepted;
    the lots it held go to other firms, which are invited. Returns the new invitations."""
    tender = Tender.objects.select_for_update().get(pk=invitation.tender_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if tender.status != TenderStatus.INVITED:
        raise ValidationError(_("Ce groupement n'attend plus de réponse."))
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("Vous avez déjà répondu."))
    if tender.respond_by and timezone.localdate() > tender.respond_by:
        raise ValidationError(_("La date de réponse est passée."))
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    if accept:
        return []
    Lot.objects.filter(tender=tender, firm=invitation.firm).update(firm=None)
    if tender.lead_id == invitation.firm_id:
        tender.lead = None
        tender.save(update_fields=["lead"])
    proposal = selectors.tender_team(tender=tender, alternatives=0)
    if not proposal.found:
        return []  # the page says which lot is left uncovered and who outside could take it
    new = _apply_team(tender, proposal)
    # Pending firms that lost every lot in the re-solve are no longer asked.
    team = {f.pk for f in proposal.firms}
    tender.invitations.filter(status=InvitationStatus.PENDING).exclude(firm_id__in=team).delete()
    _queue_invitation_mails(new)
    return new


@transaction.atomic
def lead_choose(*, tender: Tender, firm: FirmProfile) -> Tender:
    if not tender.invitations.filter(firm=firm, status=InvitationStatus.ACCEPTED).exists():
        raise ValidationError(_("Le mandataire est une entreprise du groupement qui a accepté."))
    tender.lead = firm
    tender.save(update_fields=["lead"])
    return tender


@transaction.atomic
def tender_set_status(*, tender: Tender, status: str) -> Tender:
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    if status not in TRANSITIONS[TenderStatus(tender.status)]:
        raise ValidationError(
            _("Passage impossible de « %(a)s » à « %(b)s ».")
            % {
                "a": tender.get_status_display(),
                "b": TenderStatus(status).label,
            }
        )
    if status == TenderStatus.SUBMITTED:
        if tender.lots.filter(firm__isnull=True).exists():
            raise ValidationError(_("Chaque lot doit avoir son entreprise avant le dépôt."))
        if (
            tender.invitations.exclude(status=InvitationStatus.ACCEPTED)
            .filter(firm__lots__tender=tender)
            .exists()
        ):
            raise ValidationError(_("Toutes les entreprises de l'équipe doivent avoir accepté."))
        if tender.lead_id is None:
            raise ValidationError(_("Choisissez d'abord le mandataire."))
    tender.status = status
    tender.save(update_fields=["status"])
    return tender


@transaction.atomic
def outcome_record(*, tender: Tender, won: bool, amounts: dict[int, int] | None = None) -> Tender:
    """Won or lost; when won, the amount per firm, and a collaboration for each pair of the team."""
    tender = tender_set_status(tender=tender, status=TenderStatus.WON if won else TenderStatus.LOST)
    if not won:
        return tender
    amounts = amounts or {}
    firms = sorted({lot.firm_id for lot in tender.lots.all() if lot.firm_id})
    for invitation in tender.invitations.filter(firm_id__in=firms):
        default = sum(lot.amount_keur for lot in tender.lots.all() if lot.firm_id == invitation.firm_id)
        invitation.amount_won_keur = amounts.get(invitation.firm_id, default)
        invitation.save(update_fields=["amount_won_keur"])
    year = tender.deadline.year
    for i, a in enumerate(firms):
        for b in firms[i + 1 :]:
            Collaboration.objects.get_or_create(
                network=tender.network,
                firm_a_id=a,
                firm_b_id=b,
                tender=tender,
                defaults={"source": CollaborationSource.WON, "year": year, "note": tender.title[:200]},
            )
    return tender


@transaction.atomic
def collaboration_declare(
    *, firm: FirmProfile, other: FirmProfile, year: int, note: str = ""
) -> Collaboration:
    """One firm says it worked with another; it counts once the other says so too."""
    if firm.network_id != other.network_id or firm.pk == other.pk:
        raise ValidationError(_("Choisissez une autre entreprise du groupement."))
    a, b = sorted((firm, other), key=lambda f: f.pk)
    row, _created = Collaboration.objects.get_or_create(
        network_id=firm.network_id,
        firm_a=a,
        firm_b=b,
        source=CollaborationSource.DECLARED,
        year=year,
        defaults={"note": note},
    )
    if firm.pk == a.pk:
        row.confirmed_a = True
    else:
        row.confirmed_b = True
    row.save(update_fields=["confirmed_a", "confirmed_b"])
    return row


@transaction.atomic
def document_upload(
    *, tender: Tender, person: Person | None, kind: str, upload: UploadedFile
) -> PackDocument:
    name = upload.name or "document"
    if not name.lower().endswith(DOCUMENT_EXTENSIONS):
        raise ValidationError(
            {"file": _("Formats acceptés : %(ext)s.") % {"ext": ", ".join(DOCUMENT_EXTENSIONS)}}
        )
    if (upload.size or 0) > DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": _("10 Mo au plus.")})
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Type inconnu.")})
    return PackDocument.objects.create(
        tender=tender, kind=kind, file=upload, name=name[:200], size=upload.size or 0, uploaded_by=person
    )


@transaction.atomic
def checklist_toggle(*, item: ChecklistItem, done: bool) -> ChecklistItem:
    item.done = done
    item.save(update_fields=["done"])
    return item


@transaction.atomic
def firm_profile_save(
    *,
    network: Network,
    organisation_id: int,
    contact: Person | None,
    trades: Sequence[str],
    turnover_keur: int,
    workforce: int,
    commune: Commune,
    radius_km: int,
    references: str = "",
) -> FirmProfile:
    """Create or update a member firm's capability profile in one cluster."""
    unknown = [t for t in trades if t not in Trade.values]
    if not trades or unknown:
        raise ValidationError({"trades": _("Choisissez au moins un corps de métier de la liste.")})
    firm, _created = FirmProfile.objects.update_or_create(
        network=network,
        organisation_id=organisation_id,
        defaults={
            "trades": sorted(set(trades)),
            "turnover_keur": turnover_keur,
            "workforce": workforce,
            "commune": commune,
            "radius_km": radius_km,
            "references": references,
        },
    )
    if contact is not None and firm.contact_id is None:
        firm.contact = contact
        firm.save(update_fields=["contact"])
    return firm


@transaction.atomic
def certification_add(
    *, firm: FirmProfile, kind: str, valid_until: dt.date, number: str = ""
) -> Certification:
    return Certification.objects.create(firm=firm, kind=kind, valid_until=valid_until, number=number)
