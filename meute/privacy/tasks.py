"""Background work for my data: build an export, the e-mails. Tasks take ids (or the address
of an account that no longer exists) and are queued on commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from meute.privacy.exports import export_build


@task()
def build_export(export_id: int) -> bool:
    """Build the export and tell its owner it is ready (the link is on "Mes données")."""
    export = export_build(export_id=export_id)
    if export is None or not export.user.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("privacy/email/export_ready.txt", {"export": export})
        subject = _("Vos données Meute sont prêtes")
    EmailMessage(subject=subject, body=body, to=[export.user.email]).send()
    return True


@task()
def send_farewell_email(email: str) -> int:
    """The last e-mail to an erased account's address: what was deleted, what was kept."""
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("privacy/email/farewell.txt", {})
        subject = _("Votre compte Meute est supprimé")
    return EmailMessage(subject=subject, body=body, to=[email]).send()
