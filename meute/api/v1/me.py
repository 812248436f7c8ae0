"""The caller's own data: who I am, my registrations, my memberships."""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from meute.accounts.models import Person
from meute.accounts.selectors import person_of
from meute.api.auth import AUTH
from meute.api.pagination import LimitOffset, Mapped
from meute.api.problems import ERRORS
from meute.api.v1.schemas import MembershipOut, MeOut, RegistrationOut, membership_out, registration_out
from meute.events.selectors import person_registrations
from meute.networks.selectors import person_applications

router = Router(tags=["me"], auth=AUTH)


def my_person(request: HttpRequest) -> Person:
    person = person_of(request.user)
    if person is None:
        raise Http404
    return person


@router.get("/me", response={200: MeOut, **ERRORS}, operation_id="me")
def me(request: HttpRequest) -> Any:
    person = my_person(request)
    return MeOut(
        id=person.pk,
        email=request.user.email,  # type: ignore[union-attr]
        first_name=person.first_name,
        last_name=person.last_name,
        job_title=person.job_title,
        company=person.organisation.name if person.organisation else "",
        is_staff=bool(request.user.is_staff),
    )


@router.get(
    "/me/registrations", response={200: list[RegistrationOut], **ERRORS}, operation_id="my_registrations"
)
@paginate(LimitOffset)
def my_registrations(request: HttpRequest, past: bool = False) -> Any:
    """My confirmed and waiting registrations, by date (``past=true`` includes events that ended)."""
    person = my_person(request)
    rows = person_registrations(person, since=None if past else timezone.now())
    return Mapped(rows, registration_out)


@router.get("/me/memberships", response={200: list[MembershipOut], **ERRORS}, operation_id="my_memberships")
@paginate(LimitOffset)
def my_memberships(request: HttpRequest) -> Any:
    """My memberships and applications, newest first, with my place on a waiting list."""
    return Mapped(person_applications(my_person(request)), membership_out)
