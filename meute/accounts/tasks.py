"""Background work of the accounts app: sign-up e-mails, queued on commit (see services).

Imports no service: :mod:`meute.accounts.services` queues these tasks.
"""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from meute.accounts.models import User
from meute.accounts.tokens import signup_token_make
from meute.outbox.services import mail_send


@task()
def send_signup_email(email: str, base_url: str) -> int:
    """E-mail `email` a link to create its account, or, if it has one, a warning that someone tried.

    Whether the account exists is looked up here, not in the request, and both
    cases send one e-mail: the sign-up form answers the same either way.
    `base_url` is the site's scheme and host as the request saw it.
    """
    has_account = User.objects.filter(email__iexact=email).exists()
    with translation.override(settings.LANGUAGE_CODE):
        if has_account:
            subject = _("Tentative d'inscription avec votre adresse")
            body = render_to_string(
                "accounts/email/signup_existing.txt",
                {
                    "login_url": base_url + reverse("accounts:login"),
                    "reset_url": base_url + reverse("accounts:password_reset"),
                },
            )
        else:
            token = signup_token_make(email=email)
            subject = _("Confirmez votre adresse pour créer votre compte Meute")
            body = render_to_string(
                "accounts/email/signup_confirm.txt",
                {
                    "link": base_url + reverse("accounts:signup_confirm", args=[token]),
                    "days": settings.SIGNUP_LINK_MAX_AGE // (24 * 3600),
                },
            )
    return mail_send(to=email, subject=subject, body=body)
