"""`meute expire_requests`: mark unanswered meeting requests past their deadline as expired (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from meute.core.commands import add_now_argument, now_option
from meute.events.business.services import requests_expire
from meute.events.models import Event


class Command(BaseCommand):
    help = "Expire les demandes de rendez-vous restées sans réponse après le délai de l'événement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--event", type=int, help="Seulement cet événement (identifiant).")
        add_now_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        now = now_option(options.get("now"))
        event = None
        if options.get("event") is not None:
            event = Event.objects.filter(pk=options["event"]).first()
            if event is None:
                raise CommandError(_("--event : aucun événement n°%(n)s") % {"n": options["event"]})
        count = requests_expire(event=event, now=now)
        self.stdout.write(_("%(n)s demande(s) expirée(s).") % {"n": count})
