from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares (forms, web helpers, locks); no models of its own."""

    name = "meute.core"
    label = "meute_core"

    def ready(self) -> None:
        from meute.core.forms import guard_model_choice_fields

        guard_model_choice_fields()
