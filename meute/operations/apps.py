from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "meute.operations"
    verbose_name = _("Exploitation")

    def ready(self) -> None:
        from meute.operations import logs

        logs.connect_task_signals()
