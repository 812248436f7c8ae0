from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meute.accounts.models import CONSENT_TEXTS, CURRENT_CONSENT_VERSION, ConsentPurpose, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    # Django's message says "un adresse e-mail" and warns of case, which e-mails ignore here.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Adresse e-mail ou mot de passe incorrect."),
    }


class SignupForm(forms.Form):
    """Sign-up asks only for the address: the rest is asked once the link sent there is followed."""

    email = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_email(self) -> str:
        # Whether an account exists is not checked here: the answer must not tell.
        return str(self.cleaned_data["email"]).strip().lower()


class SignupConfirmForm(forms.Form):
    """The account itself, filled in by whoever opened the link sent to `email`."""

    first_name = forms.CharField(
        label=_("Prénom"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=pgettext_lazy("nom de famille", "Nom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 10 caractères, pas uniquement des chiffres."),
    )
    directory_consent = forms.BooleanField(
        label=CONSENT_TEXTS[ConsentPurpose.DIRECTORY][CURRENT_CONSENT_VERSION], required=False
    )
    matchmaking_consent = forms.BooleanField(
        label=CONSENT_TEXTS[ConsentPurpose.MATCHMAKING][CURRENT_CONSENT_VERSION], required=False
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            probe = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
