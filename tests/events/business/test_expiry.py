"""Meeting requests expire after the event's delay (and at the latest at its start), lazily and by command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from meute.accounts.models import User
from meute.events.business import selectors as business_selectors
from meute.events.business import services as business_services
from meute.events.models import Event, MeetingRequest, RequestStatus
from meute.networks.models import Network
from tests.events.conftest_business import *  # noqa: F403
from tests.events.conftest_business import login, make_day, make_user, reg_of, register

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def far_day(club: Network) -> Event:
    return make_day(club, starts_at=T0 + dt.timedelta(days=30), request_ttl_hours=48)


def ask(event: Event, network: Network, now: dt.datetime) -> MeetingRequest:
    a, b = register(event, make_user(network)), register(event, make_user(network))
    return business_services.request_create(sender=a, recipient=b, now=now)


def test_a_request_expires_after_the_events_delay(far_day: Event, club: Network) -> None:
    req = ask(far_day, club, T0)
    assert req.expires_at == T0 + dt.timedelta(hours=48)

    assert business_services.requests_expire(event=far_day, now=T0 + dt.timedelta(hours=47)) == 0
    assert business_services.requests_expire(event=far_day, now=T0 + dt.timedelta(hours=48)) == 1
    req.refresh_from_db()
    assert req.status == RequestStatus.EXPIRED


def test_a_request_never_outlives_the_start_of_the_event(club: Network) -> None:
    event = make_day(club, starts_at=T0 + dt.timedelta(hours=5), request_ttl_hours=72)
    req = ask(event, club, T0)
    assert req.expires_at == event.starts_at


def test_expiry_leaves_answered_requests_alone(far_day: Event, club: Network) -> None:
    req = ask(far_day, club, T0)
    business_services.request_answer(
        request=req, recipient=req.recipient, accept=True, now=T0 + dt.timedelta(hours=1)
    )

    assert business_services.requests_expire(now=T0 + dt.timedelta(days=10)) == 0
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED


def test_an_expired_request_cannot_be_accepted(far_day: Event, club: Network) -> None:
    req = ask(far_day, club, T0)
    with pytest.raises(Exception, match="expiré"):
        business_services.request_answer(
            request=req, recipient=req.recipient, accept=True, now=T0 + dt.timedelta(hours=49)
        )
    req.refresh_from_db()
    assert req.status == RequestStatus.EXPIRED


def test_reading_ones_requests_treats_a_past_deadline_as_expired_without_writing_it(
    far_day: Event, club: Network
) -> None:
    req = ask(far_day, club, T0)
    mine = business_selectors.requests_of(registration=req.recipient)

    (read,) = mine["received"]
    assert read.status_at(T0 + dt.timedelta(hours=47)) == RequestStatus.PENDING
    assert read.status_at(T0 + dt.timedelta(hours=48)) == RequestStatus.EXPIRED
    assert read.current_status == RequestStatus.EXPIRED  # T0 is long past
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_counts_read_overdue_pending_requests_as_expired(far_day: Event, club: Network) -> None:
    ask(far_day, club, T0)
    answered = ask(far_day, club, T0)
    business_services.request_answer(
        request=answered, recipient=answered.recipient, accept=True, now=T0 + dt.timedelta(hours=1)
    )

    before = business_selectors.request_counts(event=far_day, now=T0 + dt.timedelta(hours=1))
    after = business_selectors.request_counts(event=far_day, now=T0 + dt.timedelta(hours=48))

    assert before == {"pending": 1, "accepted": 1, "declined": 0, "expired": 0}
    assert after == {"pending": 0, "accepted": 1, "declined": 0, "expired": 1}
    assert MeetingRequest.objects.filter(status=RequestStatus.PENDING).count() == 1


@pytest.fixture
def overdue(day: Event, participant: User, partner: User) -> MeetingRequest:
    """A request to `participant`, past its deadline and not yet written as expired."""
    req = business_services.request_create(sender=reg_of(day, partner), recipient=reg_of(day, participant))
    MeetingRequest.objects.filter(pk=req.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    return req


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("participant", "/evenements/{pk}/"),
        ("participant", "/evenements/{pk}/rendez-vous/"),
        ("participant", "/evenements/{pk}/rendez-vous/participants/"),
        ("partner", "/evenements/{pk}/rendez-vous/participants/"),
        ("manager", "/evenements/{pk}/rendez-vous/placement/"),
    ],
)
def test_a_page_read_does_not_write_the_expiry(
    day: Event, overdue: MeetingRequest, who: str, path: str, request: pytest.FixtureRequest
) -> None:
    page = login(request.getfixturevalue(who)).get(path.format(pk=day.pk))

    assert page.status_code == 200
    overdue.refresh_from_db()
    assert overdue.status == RequestStatus.PENDING


def test_the_daily_command_writes_what_the_pages_read(day: Event, overdue: MeetingRequest) -> None:
    call_command("expire_requests", stdout=StringIO())

    overdue.refresh_from_db()
    assert overdue.status == RequestStatus.EXPIRED


def test_the_participants_page_and_the_event_page_read_an_overdue_request_as_expired(
    day: Event, participant: User, partner: User, overdue: MeetingRequest
) -> None:
    participants = login(partner).get(f"/evenements/{day.pk}/rendez-vous/participants/")
    assert "Votre demande : Expirée" in participants.content.decode()
    assert login(participant).get(f"/evenements/{day.pk}/").context["business_pending"] == 0


def test_the_placement_page_counts_an_overdue_request_as_expired(
    day: Event, manager: User, overdue: MeetingRequest
) -> None:
    counts = dict(login(manager).get(f"/evenements/{day.pk}/rendez-vous/placement/").context["counts"])

    assert counts[RequestStatus.EXPIRED.label] == 1
    assert counts[RequestStatus.PENDING.label] == 0


def test_an_expired_request_is_not_placed(club: Network) -> None:
    event = make_day(club, starts_at=timezone.now() + dt.timedelta(days=5), slots=2, tables=1)
    req = ask(event, club, timezone.now() - dt.timedelta(days=10))  # its 72 hours are long gone
    for reg in (req.sender, req.recipient):
        reg.available_slots = [0, 1]
        reg.save()

    assert business_services.meetings_place(event=event)["meetings"] == 0
    req.refresh_from_db()
    assert req.status == RequestStatus.EXPIRED


def test_the_command_expires_requests_at_the_given_time(far_day: Event, club: Network) -> None:
    req = ask(far_day, club, T0)
    out = StringIO()

    call_command("expire_requests", now=(T0 + dt.timedelta(hours=1)).isoformat(), stdout=out)
    assert out.getvalue().startswith("0 ")
    call_command(
        "expire_requests", now=(T0 + dt.timedelta(hours=49)).isoformat(), event=far_day.pk, stdout=out
    )

    req.refresh_from_db()
    assert req.status == RequestStatus.EXPIRED
    assert "1 demande(s) expirée(s)" in out.getvalue()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"now": "demain"}, "date invalide"),
        ({"now": "2026-03-02T09:00"}, "fuseau"),
        ({"event": 999999}, "aucun"),
    ],
)
def test_the_command_rejects_bad_options(db: None, options: dict[str, object], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("expire_requests", **options)


def test_the_requests_page_shows_a_past_deadline_as_expired(
    day: Event, participant: User, partner: User
) -> None:
    req = business_services.request_create(sender=reg_of(day, partner), recipient=reg_of(day, participant))
    MeetingRequest.objects.filter(pk=req.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    page = login(participant).get(f"/evenements/{day.pk}/rendez-vous/")

    assert page.status_code == 200
    assert "Expirée" in page.content.decode()
    assert "Accepter" not in page.content.decode()
