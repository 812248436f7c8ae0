"""`meute expire_seat_offers`: expire unanswered seat offers and offer the seats to the next in line (cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from meute.networks.services import seat_offers_expire


class Command(BaseCommand):
    help = (
        "Expire les places proposées restées sans réponse et les propose aux suivants de la liste d'attente."
    )

    def add_arguments(self, parser: CommandParser) -> None:
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
                raise CommandError("--now : précisez le fuseau horaire (ex. 2026-06-01T09:00+02:00)")
        count = seat_offers_expire(now=now)
        self.stdout.write(f"{count} offre(s) de place expirée(s).")
