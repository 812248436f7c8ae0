"""E-mails of the account's own pages: the address change link, the notice to the old address."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


@task()
def send_email_change_link(email: str, token: str, base_url: str) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "accounts/email/email_change.txt",
            {
                "link": base_url + reverse("accounts:email_change_confirm", args=[token]),
                "days": settings.SIGNUP_LINK_MAX_AGE // (24 * 3600),
            },
        )
        subject = _("Confirmez votre nouvelle adresse e-mail sur Meute")
    return EmailMessage(subject=subject, body=body, to=[email]).send()


@task()
def send_email_changed_notice(old: str, new: str) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("accounts/email/email_changed.txt", {"new": new})
        subject = _("L'adresse e-mail de votre compte Meute a changé")
    return EmailMessage(subject=subject, body=body, to=[old]).send()
