"""Events: list and detail, register and cancel, my speed-meeting agenda, check-in for organisers."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from meute.accounts.selectors import person_of
from meute.api.auth import AUTH, OPTIONAL_AUTH, PUBLIC_SECURITY
from meute.api.pagination import LimitOffset, Mapped
from meute.api.problems import ERRORS
from meute.api.v1.schemas import (
    AgendaOut,
    AttendanceIn,
    CheckinOut,
    EventOut,
    RegistrationOut,
    agenda_round_out,
    checkin_out,
    event_out,
    registration_out,
)
from meute.events import permissions, selectors, services
from meute.events.models import Event, PlanStatus, RegistrationStatus
from meute.events.speed import selectors as speed

router = Router(tags=["events"])


def visible_event(request: HttpRequest, event_id: int) -> Event:
    """The event if the caller may see it; otherwise 404, as if it did not exist."""
    event = selectors.event_by_pk(event_id) if 0 < event_id < 2**63 else None
    if event is None or not permissions.can_see(request.user, event):
        raise Http404
    return event


def managed_event(request: HttpRequest, event_id: int) -> Event:
    event = visible_event(request, event_id)
    if not permissions.can_manage(request.user, event):
        raise Http404
    return event


@router.get(
    "/events",
    response={200: list[EventOut], **ERRORS},
    auth=OPTIONAL_AUTH,
    operation_id="events_list",
    openapi_extra=PUBLIC_SECURITY,
)
@paginate(LimitOffset)
def events_list(request: HttpRequest, past: bool = False, network: str = "") -> Any:
    """Events the caller may see: upcoming ones first (``past=true``: past ones, latest first)."""
    return Mapped(selectors.events_listed(request.user, past=past, network_slug=network), event_out)


@router.get(
    "/events/{event_id}",
    response={200: EventOut, **ERRORS},
    auth=OPTIONAL_AUTH,
    operation_id="event_detail",
    openapi_extra=PUBLIC_SECURITY,
)
def event_detail(request: HttpRequest, event_id: int) -> Any:
    return event_out(visible_event(request, event_id))


@router.post(
    "/events/{event_id}/registration",
    response={201: RegistrationOut, **ERRORS},
    auth=AUTH,
    operation_id="event_register",
)
def event_register(request: HttpRequest, event_id: int) -> Any:
    """Register the caller: confirmed while places are left, else on the waiting list (409 with the reason)."""
    event = visible_event(request, event_id)
    person = person_of(request.user)
    if person is None:
        raise Http404
    return Status(201, registration_out(services.registration_create(event=event, person=person)))


@router.delete(
    "/events/{event_id}/registration",
    response={200: RegistrationOut, **ERRORS},
    auth=AUTH,
    operation_id="event_cancel",
)
def event_cancel(request: HttpRequest, event_id: int) -> Any:
    """Cancel the caller's registration; the first person waiting gets the place."""
    event = visible_event(request, event_id)
    registration = selectors.registration_of(event, person_of(request.user))
    if registration is None:
        raise Http404
    services.registration_cancel(registration=registration)
    registration.status = RegistrationStatus.CANCELLED
    return registration_out(registration)


@router.get(
    "/events/{event_id}/agenda", response={200: AgendaOut, **ERRORS}, auth=AUTH, operation_id="event_agenda"
)
def event_agenda(request: HttpRequest, event_id: int) -> Any:
    """My speed-meeting agenda, round by round (empty until the organiser publishes the plan)."""
    event = visible_event(request, event_id)
    registration = selectors.registration_of(event, person_of(request.user))
    if (
        not speed.is_speed_event(event)
        or registration is None
        or registration.status != RegistrationStatus.CONFIRMED
    ):
        raise Http404
    plan = speed.plan_of(event)
    if plan is None or plan.status != PlanStatus.PUBLISHED:
        return AgendaOut(event=event.pk, published=False, rounds=[])
    return AgendaOut(
        event=event.pk, published=True, rounds=[agenda_round_out(r) for r in speed.agenda(plan, registration)]
    )


@router.get(
    "/events/{event_id}/checkin",
    response={200: list[CheckinOut], **ERRORS},
    auth=AUTH,
    operation_id="event_checkin_list",
)
@paginate(LimitOffset)
def event_checkin_list(request: HttpRequest, event_id: int, q: str = "") -> Any:
    """The organiser's check-in list: confirmed registrations by name (``q`` searches names, companies)."""
    event = managed_event(request, event_id)
    return Mapped(selectors.checkin_list(event, q), checkin_out)


@router.post(
    "/events/{event_id}/checkin/{registration_id}",
    response={200: CheckinOut, **ERRORS},
    auth=AUTH,
    operation_id="event_checkin_mark",
)
def event_checkin_mark(request: HttpRequest, event_id: int, registration_id: int, body: AttendanceIn) -> Any:
    """Record an arrival, a late arrival, an absence or an apology."""
    event = managed_event(request, event_id)
    registration = (
        selectors.event_registration(event, registration_id) if 0 < registration_id < 2**63 else None
    )
    if registration is None:
        raise Http404
    return checkin_out(
        services.attendance_set(registration=registration, attendance=body.attendance, actor=request.user)
    )
