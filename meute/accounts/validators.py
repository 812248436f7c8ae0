"""Validators for French business identifiers and phone numbers.

Each raises ValidationError with the reason, so a form can name the field and
say what is wrong with it ("le numéro SIRET a une clé de contrôle invalide").
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exc
from stdnum.fr import siren, siret


def _explain(exc: Exception, kind: str) -> str:
    if isinstance(exc, stdnum_exc.InvalidChecksum):
        return _("le numéro %(kind)s a une clé de contrôle invalide") % {"kind": kind}
    if isinstance(exc, stdnum_exc.InvalidLength):
        return _("le numéro %(kind)s n'a pas le bon nombre de chiffres") % {"kind": kind}
    if isinstance(exc, stdnum_exc.InvalidFormat):
        return _("le numéro %(kind)s ne doit contenir que des chiffres") % {"kind": kind}
    return _("le numéro %(kind)s est invalide") % {"kind": kind}


def validate_siren(value: str) -> None:
    try:
        siren.validate(value)
    except stdnum_exc.ValidationError as exc:
        raise ValidationError(_explain(exc, "SIREN"), code="invalid_siren") from exc


def validate_siret(value: str) -> None:
    try:
        siret.validate(value)
    except stdnum_exc.ValidationError as exc:
        raise ValidationError(_explain(exc, "SIRET"), code="invalid_siret") from exc


def normalise_phone(value: str, region: str = "FR") -> str:
    """Return the number in E.164 form, or raise ValidationError saying why it is refused."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("ce numéro de téléphone est illisible"), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("ce numéro de téléphone n'existe pas"), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalise_phone(value)


def format_phone(value: str) -> str:
    """A stored E.164 number as a French reader expects it (national form for French numbers)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
