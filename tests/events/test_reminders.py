"""The day-before reminder, sent by `meute send_event_reminders`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from meute.events.models import Audience, Event, EventKind, Registration, RegistrationStatus
from meute.networks.models import Network
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_it_reminds_confirmed_people_of_tomorrows_events_only(club: Network) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(19, 0), tzinfo=timezone.get_current_timezone())
    event = Event.objects.create(
        network=club,
        title="Dîner",
        kind=EventKind.MEETING,
        starts_at=start,
        ends_at=start,
        audience=Audience.MEMBERS,
    )
    later = Event.objects.create(
        network=club,
        title="Plus tard",
        kind=EventKind.MEETING,
        starts_at=start + dt.timedelta(days=3),
        ends_at=start + dt.timedelta(days=3),
    )
    confirmed, waiting = MembershipFactory(network=club).person, MembershipFactory(network=club).person
    Registration.objects.create(event=event, person=confirmed, status=RegistrationStatus.CONFIRMED)
    Registration.objects.create(event=event, person=waiting, status=RegistrationStatus.WAITLISTED)
    Registration.objects.create(event=later, person=waiting, status=RegistrationStatus.CONFIRMED)

    call_command("send_event_reminders")

    assert [m.to for m in mail.outbox] == [[confirmed.email]]
    assert mail.outbox[0].subject == "Rappel : Dîner demain"


def test_a_malformed_day_names_the_option() -> None:
    with pytest.raises(CommandError, match="--day"):
        call_command("send_event_reminders", "--day", "demain")
