from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "meute.accounts"
    verbose_name = _("Personnes et organisations")
