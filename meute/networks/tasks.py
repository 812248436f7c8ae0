"""Background work of the networks app: e-mails. Tasks receive ids and are queued on commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from meute.networks.models import Membership


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
    return EmailMessage(subject=subject, body=body, to=[to]).send()
