"""`meute expire_requests`: mark unanswered meeting requests past their deadline as expired (cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.events.business import requests_expire
from meute.events.models import Event


class Command(BaseCommand):
    help = "Expire les demandes de rendez-vous restées sans réponse après le délai de l'événement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--event", type=int, help="Seulement cet événement (identifiant).")
        parser.add_argument(
            "--now", help="Date et heure de référence, ISO 8601 avec fuseau (par défaut : maintenant)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options.get("now"):
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(
                    f"--now : date invalide {options['now']!r} (ex. 2026-06-01T09:00+02:00)"
                ) from exc
            if timezone.is_naive(now):
                raise CommandError(_("--now : précisez le fuseau horaire (ex. 2026-06-01T09:00+02:00)"))
        event = None
        if options.get("event") is not None:
            event = Event.objects.filter(pk=options["event"]).first()
            if event is None:
                raise CommandError(_("--event : aucun événement n°%(n)s") % {"n": options["event"]})
        count = requests_expire(event=event, now=now)
        self.stdout.write(_("%(n)s demande(s) expirée(s).") % {"n": count})
