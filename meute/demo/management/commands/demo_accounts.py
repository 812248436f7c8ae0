from typing import Any

from django.core.management.base import BaseCommand

from meute.demo.data import DEMO_ACCOUNTS, PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Demo accounts (password for all: {PASSWORD}):")
        for email, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:32} {role}")
