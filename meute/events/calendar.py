"""iCalendar (.ics) for events and personal feeds (icalendar package).

Every text typed by a person goes through :mod:`meute.engine.controls` on its
way in: a carriage return in a title would otherwise start a new property.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from meute.engine.controls import multi_line, single_line
from meute.events.models import Event


def new_calendar(name: str) -> Calendar:
    """An empty calendar named ``name`` (what a calendar application shows as its title)."""
    cal = Calendar()
    cal.add("prodid", "-//Meute//meute.example//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", single_line(name))
    return cal


def event_vevent(event: Event, base_url: str, *, summary: str | None = None, description: str = "") -> VEvent:
    item = VEvent()
    item.add("uid", f"event-{event.pk}@meute")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", single_line(summary or event.title))
    where = ", ".join(
        x for x in [event.place, event.address, event.commune.name if event.commune else ""] if x
    )
    if where:
        item.add("location", single_line(where))
    item.add("description", multi_line(description or event.description))
    item.add("url", base_url + event.get_absolute_url())
    if event.status == "cancelled":
        item.add("status", "CANCELLED")
    return item


def events_ics(name: str, events: Iterable[Event], base_url: str) -> bytes:
    cal = new_calendar(name)
    for event in events:
        cal.add_component(event_vevent(event, base_url))
    return cal.to_ical()


def meeting_vevent(
    *,
    uid: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    summary: str,
    url: str,
    location: str = "",
    description: str | None = None,
) -> VEvent:
    """One meeting of a personal agenda (a round at a table, a booked one-to-one)."""
    item = VEvent()
    item.add("uid", uid)
    item.add("dtstamp", timezone.now())
    item.add("dtstart", starts_at)
    item.add("dtend", ends_at)
    item.add("summary", single_line(summary))
    if description is not None:
        item.add("description", multi_line(description))
    if location:
        item.add("location", single_line(location))
    item.add("url", url)
    return item


def ics_response(body: bytes, filename: str) -> HttpResponse:
    """A calendar file to download."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
