from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import LANGUAGES_SPOKEN, Person
from meute.reference.models import Commune

PHOTO_MAX_BYTES = 2 * 1024 * 1024


class ProfileForm(forms.ModelForm):
    company = forms.CharField(label=_("Entreprise"), max_length=200, required=False)
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.order_by("name"), required=False
    )

    languages = forms.MultipleChoiceField(
        label=_("Langues de travail"),
        choices=LANGUAGES_SPOKEN,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "company",
            "job_title",
            "trade",
            "phone",
            "commune",
            "offers",
            "seeks",
            "languages",
            "photo",
        ]
        widgets = {"photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.instance.organisation if self.instance else None
        self.fields["company"].initial = org.name if org else ""
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["photo"].help_text = _("JPEG ou PNG, 2 Mo au plus ; vous seul la voyez sur votre page.")

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        # Django's ImageField has already checked, with Pillow, that the file is an image.
        if photo and hasattr(photo, "size"):
            if photo.size > PHOTO_MAX_BYTES:
                raise forms.ValidationError(_("La photo dépasse 2 Mo."))
            kind = getattr(getattr(photo, "image", None), "format", None)
            if kind is not None and kind not in ("JPEG", "PNG"):
                raise forms.ValidationError(_("La photo doit être au format JPEG ou PNG."))
        return photo


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("Nouvelle adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Votre mot de passe"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if email == self.user.email:
            raise forms.ValidationError(_("C'est déjà l'adresse de votre compte."))
        return email
