"""The one way event views find the event of a URL: visible to the user, of the right kind, managed.

An event one may not see answers exactly like one that does not exist (404),
and so does an event of another kind under a speed-meeting or business-day URL,
or an organiser page for someone who does not run the event.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from meute.accounts.selectors import person_of
from meute.events import permissions
from meute.events.models import Event, EventKind, Registration
from meute.events.selectors import participant_of


def visible_event(request: HttpRequest, pk: int, *, kind: EventKind | None = None) -> Event:
    """The event ``pk`` if the user may see it (and it is of ``kind``, when given); 404 otherwise."""
    event = Event.objects.select_related("network", "commune").filter(pk=pk).first()
    if (
        event is None
        or (kind is not None and event.kind != kind)
        or not permissions.can_see(request.user, event)
    ):
        raise Http404
    return event


def managed_event(request: HttpRequest, pk: int, *, kind: EventKind | None = None) -> Event:
    """The event ``pk`` if the user runs it (see :func:`visible_event` for the rest); 404 otherwise."""
    event = visible_event(request, pk, kind=kind)
    if not permissions.can_manage(request.user, event):
        raise Http404
    return event


def my_registration(request: HttpRequest, event: Event) -> Registration:
    """The user's confirmed registration to ``event``; 404 for anyone else (waiting, cancelled, outsider)."""
    registration = participant_of(event, person_of(request.user))
    if registration is None:
        raise Http404
    return registration
