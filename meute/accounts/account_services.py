"""A person's own account: profile, e-mail address. One transaction each."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meute.accounts.models import Organisation, Person, User
from meute.accounts.services import normalise_email

EMAIL_CHANGE_SALT = "meute.accounts.email-change"
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "trade",
    "phone",
    "commune",
    "offers",
    "seeks",
    "languages",
    "photo",
)


def profile_update(*, person: Person, company: str, **fields: Any) -> Person:
    """Save what a person says of themselves; ``company`` renames their own organisation.

    An organisation shared with colleagues is not renamed for them: the person
    gets an organisation of their own with the new name.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown profile fields: {sorted(unknown)}")
    company = company.strip()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        old_photo = person.photo.name if person.photo else ""
        for name, value in fields.items():
            if name == "photo" and value is None:
                continue  # no new file: the photo stays
            setattr(person, name, value if value is not False else "")  # False: "remove the photo"
        org = person.organisation
        if not company:
            person.organisation = None
        elif org is None:
            person.organisation = Organisation.objects.create(name=company)
        elif org.name != company:
            if org.people.exclude(pk=person.pk).exists():
                person.organisation = Organisation.objects.create(
                    name=company, naf=org.naf, commune=org.commune
                )
            else:
                org.name = company
                org.save(update_fields=["name"])
        person.full_clean()
        person.save()
        new_photo = person.photo.name if person.photo else ""
        if old_photo and old_photo != new_photo:
            # The replaced or removed file goes once the change is saved for good.
            storage = person.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
        user = person.user
        if user is not None and (user.first_name, user.last_name) != (person.first_name, person.last_name):
            user.first_name, user.last_name = person.first_name, person.last_name
            user.save(update_fields=["first_name", "last_name"])
    return person


def email_change_token(*, user: User, email: str) -> str:
    """The signed token of the link sent to the new address: names the account and both addresses."""
    return signing.dumps(
        {"user": user.pk, "old": user.email, "new": normalise_email(email)}, salt=EMAIL_CHANGE_SALT
    )


def email_change_request(*, user: User, email: str, base_url: str) -> None:
    """Send a confirmation link to the new address; nothing changes until it is followed.

    The answer is the same whether the address has an account or not: an address
    taken is told only when the link is followed, by its own holder.
    """
    from meute.accounts.account_tasks import send_email_change_link  # tasks import this module

    email = normalise_email(email)
    token = email_change_token(user=user, email=email)
    transaction.on_commit(lambda: send_email_change_link.enqueue(email, token, base_url))


def email_change_confirm(*, user: User, token: str) -> str:
    """Apply a followed link: the account's (and its person's) address becomes the new one.

    Raises ValidationError if the link is forged, older than SIGNUP_LINK_MAX_AGE,
    for another account, already used (the address changed since), or the new
    address has an account. Returns the old address (told of the change).
    """
    invalid = ValidationError(_("Ce lien n'est pas valable (expiré, déjà utilisé ou pour un autre compte)."))
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.SIGNUP_LINK_MAX_AGE)
    except signing.BadSignature as exc:
        raise invalid from exc
    if not isinstance(data, dict) or data.get("user") != user.pk or data.get("old") != user.email:
        raise invalid
    new = str(data.get("new", ""))
    if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        raise ValidationError(_("Cette adresse a déjà un compte Meute."))
    old = user.email
    try:
        with transaction.atomic():
            user.email = new
            user.save()
            Person.objects.filter(user=user).update(email=new)
    except IntegrityError as exc:
        raise ValidationError(_("Cette adresse a déjà un compte Meute.")) from exc
    from meute.accounts.account_tasks import send_email_changed_notice

    transaction.on_commit(lambda: send_email_changed_notice.enqueue(old, new))
    return old
