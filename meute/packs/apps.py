from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PacksConfig(AppConfig):
    name = "meute.packs"
    verbose_name = _("Groupements d'entreprises")
