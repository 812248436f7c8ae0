"""`meute expire_seat_offers`: expire unanswered seat offers and offer the seats to the next in line (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meute.core.commands import add_now_argument, now_option
from meute.networks.services.seats import seat_offers_expire


class Command(BaseCommand):
    help = (
        "Expire les places proposées restées sans réponse et les propose aux suivants de la liste d'attente."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_now_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        count = seat_offers_expire(now=now_option(options.get("now")))
        self.stdout.write(f"{count} offre(s) de place expirée(s).")
