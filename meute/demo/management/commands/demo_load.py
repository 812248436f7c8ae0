from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meute.demo import national
from meute.demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the Touraine demo (idempotent: a second run changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["touraine", "national", "sample"],
            default="touraine",
            help="touraine (the demo), national (100,000 people… for load tests) or sample (national / 1000)",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="seed of the national data set (same seed, same data)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] != "touraine":
            counts = national.national_load(scale=options["scale"], seed=options["seed"])
            if not counts.pop("loaded"):
                self.stdout.write("This data set is already loaded: nothing changed.")
            else:
                self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()) + " loaded.")
            return
        result = demo_load()
        if not result["loaded"]:
            self.stdout.write("Demo already loaded: nothing changed.")
        else:
            self.stdout.write(
                f"Demo loaded: {result['networks']} networks, {result['people']} people, "
                f"{result['memberships']} memberships."
            )
