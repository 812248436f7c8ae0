from typing import Any

from django.core.management.base import BaseCommand

from meute.demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the Touraine demo (idempotent: a second run changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        if not result["loaded"]:
            self.stdout.write("Demo already loaded: nothing changed.")
        else:
            self.stdout.write(
                f"Demo loaded: {result['networks']} networks, {result['people']} people, "
                f"{result['memberships']} memberships."
            )
