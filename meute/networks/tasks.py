"""Background work of the networks app: e-mails. Tasks receive ids and are queued on commit."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from meute.networks.models import Membership, Proposal
from meute.outbox.services import mail_send


@task()
def send_seat_offer_email(membership_id: int) -> int:
    """Tell the first person of a waiting list that a seat is theirs if they accept it (plain text)."""
    m = (
        Membership.objects.select_related("person", "person__user", "network")
        .filter(pk=membership_id)
        .first()
    )
    if m is None or m.offer_expires_at is None:
        return 0
    to = m.person.email or (m.person.user.email if m.person.user else "")
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Une place se libère : %(n)s") % {"n": m.network.name}
        body = render_to_string(
            "networks/email/seat_offer.txt",
            {"m": m, "network": m.network, "path": reverse("networks:applications")},
        )
    key = f"seat-offer:{m.pk}:{m.offer_expires_at.isoformat()}"
    return mail_send(to=to, subject=subject, body=body, key=key)


@task()
def send_proposal_email(proposal_id: int, site_url: str = "") -> int:
    """Invite the address a member proposed to apply themselves, with the member's sponsorship (plain text).

    Sent whoever the address belongs to: the member who proposed it is told nothing more.
    """
    p = Proposal.objects.select_related("sponsor", "network").filter(pk=proposal_id).first()
    if p is None or p.membership_id is not None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(s)s vous propose de rejoindre %(n)s") % {"s": p.sponsor.full_name, "n": p.network.name}
        body = render_to_string(
            "networks/email/proposal.txt",
            {
                "p": p,
                "network": p.network,
                "link": site_url.rstrip("/") + reverse("networks:invitation", args=[p.token]),
            },
        )
    return mail_send(to=p.email, subject=subject, body=body, key=f"proposal:{p.pk}")
