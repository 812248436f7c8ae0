"""iCalendar (.ics) for events and personal feeds (icalendar package)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from meute.events.models import Event


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Meute//meute.example//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def event_vevent(event: Event, base_url: str, *, summary: str | None = None, description: str = "") -> VEvent:
    item = VEvent()
    item.add("uid", f"event-{event.pk}@meute")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", summary or event.title)
    where = ", ".join(
        x for x in [event.place, event.address, event.commune.name if event.commune else ""] if x
    )
    if where:
        item.add("location", where)
    item.add("description", description or event.description)
    item.add("url", base_url + event.get_absolute_url())
    if event.status == "cancelled":
        item.add("status", "CANCELLED")
    return item


def events_ics(name: str, events: Iterable[Event], base_url: str) -> bytes:
    cal = _calendar(name)
    for event in events:
        cal.add_component(event_vevent(event, base_url))
    return cal.to_ical()
