from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from meute.demo import demo_load


def _national() -> Any:
    """meute/demo/national.py, importable as meute.demo.national once meute/demo.py becomes a package."""
    try:
        from meute.demo import national  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        import importlib.util
        import sys
        from pathlib import Path

        import meute

        spec = importlib.util.spec_from_file_location(
            "meute.demo.national", Path(meute.__file__).parent / "demo" / "national.py"
        )
        assert spec is not None and spec.loader is not None
        national = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = national
        spec.loader.exec_module(national)
    return national


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
            counts = _national().national_load(scale=options["scale"], seed=options["seed"])
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
