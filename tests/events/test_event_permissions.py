"""Who may use each event page, role by role, including guessed ids.

Roles: a visitor (`anonymous`), a member of the organising network (`member`),
a member of another network (`other_member`), a manager of another network
(`other_manager`), the organising network's president (`manager`) and CCI staff
(`staff`). A page one may not see answers 404, exactly like one that does not
exist; a visitor is sent to the login page (302) where logging in could help.
The calendar feed's own cases (revoked token, ended membership) are in
test_calendar_feed.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from meute.accounts.models import User
from meute.events import services
from meute.events.models import (
    Audience,
    CalendarFeed,
    CheckIn,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from meute.networks.models import Network
from tests.events.test_event_audience import edit_data
from tests.events.test_registrations import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "other_member", "other_manager", "manager", "staff")
LOGIN = 302


def expected(**codes: int) -> dict[str, int]:
    """404 for everyone, the login page for visitors, and the given exceptions."""
    return {role: 404 for role in ROLES} | {"anonymous": LOGIN} | codes


ORGANISERS = expected(manager=200, staff=200)
AUDIENCE = expected(anonymous=404, member=200, manager=200, staff=200)


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        assert role in ROLES, role
        client = Client()
        if role != "anonymous":
            client.force_login(
                request.getfixturevalue(role), backend="django.contrib.auth.backends.ModelBackend"
            )
        return client

    return make


@pytest.fixture
def event(club: Network, member: User) -> Event:
    """A members-only dinner of `club`, `member` registered."""
    event = make_event(club, title="Dîner des membres")
    services.registration_create(event=event, person=member.person)
    return event


@pytest.fixture(params=[Audience.MEMBERS, Audience.PUBLIC], ids=["members-only", "public"])
def any_event(request: pytest.FixtureRequest, club: Network, member: User) -> Event:
    """An event of `club`, members-only or public (seen by everyone: seeing it is not running it)."""
    event = make_event(club, title="Soirée du club", audience=request.param)
    services.registration_create(event=event, person=member.person)
    return event


@pytest.fixture
def registration(event: Event, member: User) -> Registration:
    return Registration.objects.get(event=event, person=member.person)


@pytest.fixture
def elsewhere(other_club: Network, other_member: User) -> Event:
    """An event of another network, with a registration of its own."""
    event = make_event(other_club, title="Réunion de l'autre club")
    services.registration_create(event=event, person=other_member.person)
    return event


def page(event_id: int, tail: str = "") -> str:
    return f"/evenements/{event_id}/{tail}"


# ------------------------------------------------------------------ reading an event


@pytest.mark.parametrize("tail", ["", "evenement.ics"])
@pytest.mark.parametrize("role", ROLES)
def test_a_members_only_event_and_its_ics_answer_by_role(
    event: Event, client_for: Callable[[str], Client], role: str, tail: str
) -> None:
    assert client_for(role).get(page(event.pk, tail)).status_code == AUDIENCE[role]


@pytest.mark.parametrize("tail", ["", "evenement.ics"])
@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_seen_by_its_organisers_only(
    event: Event, client_for: Callable[[str], Client], role: str, tail: str
) -> None:
    Event.objects.filter(pk=event.pk).update(status=EventStatus.DRAFT)

    code = client_for(role).get(page(event.pk, tail)).status_code

    assert code == expected(anonymous=404, manager=200, staff=200)[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_drafts_to_their_organisers_only(
    club: Network, other_club: Network, client_for: Callable[[str], Client], role: str
) -> None:
    make_event(club, title="Brouillon du club", status=EventStatus.DRAFT)
    make_event(other_club, title="Brouillon de l'autre club", status=EventStatus.DRAFT)
    make_event(None, title="Soirée ouverte")

    listing = client_for(role).get("/evenements/")

    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Soirée ouverte" in content
    assert ("Brouillon du club" in content) == (role in ("manager", "staff"))
    assert ("Brouillon de l&#x27;autre club" in content) == (role in ("other_manager", "staff"))


@pytest.mark.parametrize("tail", ["", "evenement.ics", "modifier/", "inscrits/", "pointage/"])
@pytest.mark.parametrize("role", ["member", "manager", "staff"])
def test_a_guessed_event_id_answers_404(
    event: Event, client_for: Callable[[str], Client], role: str, tail: str
) -> None:
    assert client_for(role).get(page(event.pk + 1000, tail)).status_code == 404


# ------------------------------------------------------------------ organiser pages


@pytest.mark.parametrize("tail", ["modifier/", "inscrits/", "pointage/"])
@pytest.mark.parametrize("role", ROLES)
def test_organiser_pages_are_for_the_networks_managers_and_staff(
    any_event: Event, client_for: Callable[[str], Client], role: str, tail: str
) -> None:
    event = any_event
    response = client_for(role).get(page(event.pk, tail))

    assert response.status_code == ORGANISERS[role]
    if role == "anonymous":
        assert response["Location"].startswith("/comptes/connexion/")


@pytest.mark.parametrize("tail", ["modifier/", "inscrits/", "pointage/"])
def test_a_manager_does_not_reach_another_networks_event_by_its_id(
    elsewhere: Event, client_for: Callable[[str], Client], tail: str
) -> None:
    assert client_for("manager").get(page(elsewhere.pk, tail)).status_code == 404
    assert client_for("other_manager").get(page(elsewhere.pk, tail)).status_code == 200


def test_the_registrations_page_lists_the_registered_people(
    event: Event, client_for: Callable[[str], Client]
) -> None:
    assert "Claire Moreau" in client_for("manager").get(page(event.pk, "inscrits/")).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisers_edit_an_event(
    any_event: Event, client_for: Callable[[str], Client], role: str
) -> None:
    event = any_event
    response = client_for(role).post(page(event.pk, "modifier/"), edit_data(event, title="Titre changé"))

    assert response.status_code == expected(manager=302, staff=302)[role]
    event.refresh_from_db()
    assert (event.title == "Titre changé") == (role in ("manager", "staff"))


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_and_staff_open_the_new_event_form(
    club: Network, client_for: Callable[[str], Client], role: str
) -> None:
    response = client_for(role).get("/evenements/nouveau/")

    assert response.status_code == expected(other_manager=200, manager=200, staff=200)[role]


def test_a_manager_of_another_network_cannot_create_an_event_for_this_one(
    club: Network, event: Event, client_for: Callable[[str], Client]
) -> None:
    data = edit_data(event, title="Intrusion")

    response = client_for("other_manager").post("/evenements/nouveau/", data)

    assert response.status_code == 200 and "network" in response.context["form"].errors
    assert not Event.objects.filter(title="Intrusion").exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisers_record_a_walk_in(
    any_event: Event, client_for: Callable[[str], Client], role: str
) -> None:
    event = any_event
    response = client_for(role).post(
        page(event.pk, "pointage/sur-place/"), {"first_name": "Zoé", "last_name": "Martin"}
    )

    assert response.status_code == expected(manager=302, staff=302)[role]
    assert Registration.objects.filter(event=event, walk_in=True).exists() == (role in ("manager", "staff"))


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_a_walk_in_on_a_guessed_event_id_answers_404(
    event: Event, client_for: Callable[[str], Client], role: str
) -> None:
    response = client_for(role).post(
        page(event.pk + 1000, "pointage/sur-place/"), {"first_name": "Zoé", "last_name": "Martin"}
    )

    assert response.status_code == 404
    assert not Registration.objects.filter(walk_in=True).exists()


def test_a_manager_records_no_walk_in_at_another_networks_event(
    elsewhere: Event, client_for: Callable[[str], Client]
) -> None:
    response = client_for("manager").post(
        page(elsewhere.pk, "pointage/sur-place/"), {"first_name": "Zoé", "last_name": "Martin"}
    )

    assert response.status_code == 404
    assert not Registration.objects.filter(walk_in=True).exists()


def started(event: Event) -> None:
    """The event began half an hour ago."""
    from django.utils import timezone

    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=30))


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisers_mark_attendance(
    any_event: Event, client_for: Callable[[str], Client], role: str
) -> None:
    event = any_event
    registration = Registration.objects.get(event=event, status=RegistrationStatus.CONFIRMED)
    started(event)  # check-in opens on the day
    response = client_for(role).post(
        page(event.pk, f"pointage/{registration.pk}/"), {"attendance": "present"}
    )

    assert response.status_code == expected(manager=302, staff=302)[role]
    registration.refresh_from_db()
    assert (registration.attendance == CheckIn.PRESENT) == (role in ("manager", "staff"))


def test_attendance_of_another_networks_registration_cannot_be_marked_through_ones_own_event(
    event: Event, elsewhere: Event, client_for: Callable[[str], Client]
) -> None:
    theirs = Registration.objects.get(event=elsewhere)

    own_event = client_for("manager").post(
        page(event.pk, f"pointage/{theirs.pk}/"), {"attendance": "present"}
    )
    their_event = client_for("manager").post(
        page(elsewhere.pk, f"pointage/{theirs.pk}/"), {"attendance": "present"}
    )

    assert own_event.status_code == 404 and their_event.status_code == 404
    theirs.refresh_from_db()
    assert theirs.attendance == ""


# ------------------------------------------------------------------ registering and cancelling


@pytest.mark.parametrize("role", ROLES)
def test_registering_to_a_members_only_event_by_role(
    club: Network,
    member: User,
    client_for: Callable[[str], Client],
    role: str,
    request: pytest.FixtureRequest,
) -> None:
    event = make_event(club, title="Assemblée")

    response = client_for(role).post(page(event.pk, "inscription/"))

    assert response.status_code == expected(member=302, manager=302, staff=302)[role]
    registered = set(Registration.objects.filter(event=event).values_list("person__user__email", flat=True))
    # Staff see every event but are not in its audience: refused with a message, not registered.
    assert registered == ({request.getfixturevalue(role).email} if role in ("member", "manager") else set())


def test_registering_to_a_guessed_event_id_answers_404(
    member: User, client_for: Callable[[str], Client]
) -> None:
    assert client_for("member").post(page(999999, "inscription/")).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_nobody_cancels_someone_elses_registration(
    event: Event, registration: Registration, client_for: Callable[[str], Client], role: str
) -> None:
    response = client_for(role).post(page(event.pk, "annulation/"))

    # Organisers see the event but have no registration of their own to cancel.
    assert response.status_code == expected(member=302)[role]
    registration.refresh_from_db()
    cancelled = registration.status == RegistrationStatus.CANCELLED
    assert cancelled == (role == "member")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("tail", ["inscription/", "annulation/"])
def test_registering_and_cancelling_refuse_a_get(
    event: Event, client_for: Callable[[str], Client], method: str, tail: str
) -> None:
    response = getattr(client_for("member"), method)(page(event.pk, tail))

    assert response.status_code == (405 if method == "get" else 302)


# ------------------------------------------------------------------ my events and the feed address


@pytest.mark.parametrize("role", ROLES)
def test_my_events_shows_only_my_own_registrations(
    event: Event, elsewhere: Event, client_for: Callable[[str], Client], role: str
) -> None:
    response = client_for(role).get("/evenements/mes-evenements/")

    assert response.status_code == (LOGIN if role == "anonymous" else 200)
    content = response.content.decode()
    assert ("Dîner des membres" in content) == (role == "member")
    assert ("Réunion de l&#x27;autre club" in content) == (role == "other_member")


@pytest.mark.parametrize("role", ROLES)
def test_the_feed_address_is_made_only_for_the_person_asking(
    client_for: Callable[[str], Client], role: str, request: pytest.FixtureRequest
) -> None:
    response = client_for(role).post("/evenements/mes-evenements/", {"action": "create"})

    assert response.status_code == 302
    owners = list(CalendarFeed.objects.values_list("person__user__email", flat=True))
    assert owners == ([] if role == "anonymous" else [request.getfixturevalue(role).email])


def test_renewing_touches_only_my_own_feed_address(
    member: User, other_member: User, client_for: Callable[[str], Client]
) -> None:
    theirs = services.calendar_feed_issue(person=other_member.person)

    client_for("member").post("/evenements/mes-evenements/", {"action": "renew"})
    client_for("member").post("/evenements/mes-evenements/", {"action": "revoke"})

    assert CalendarFeed.objects.get(person=other_member.person).token == theirs.token


def test_an_account_without_a_person_record_is_told_why_it_has_no_events(db: None) -> None:
    client = Client()
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")

    page = client.get("/evenements/mes-evenements/")
    assert page.status_code == 200
    assert "n'est lié à aucune fiche de participant" in page.content.decode()
    assert client.post("/evenements/mes-evenements/", {"action": "create"}).status_code == 200
    assert not CalendarFeed.objects.exists()


def test_a_wrong_or_revoked_feed_token_answers_404(member: User, client: Client) -> None:
    feed = services.calendar_feed_issue(person=member.person)
    services.calendar_feed_revoke(person=member.person)

    assert client.get(f"/calendrier/{feed.token}.ics").status_code == 404
    assert client.get(f"/calendrier/{feed.token[:-1]}x.ics").status_code == 404


@pytest.mark.parametrize("field", ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00", "1899-12-31T23:00", "9999-12-31T23:59"])
def test_an_event_dated_out_of_range_is_refused_by_name_and_not_saved(
    club: Network, event: Event, client_for: Callable[[str], Client], field: str, value: str
) -> None:
    # Year 1 was saved on PostgreSQL, then every page showing it answered 500.
    data = edit_data(event, title="Hors du temps", **{field: value})

    response = client_for("manager").post("/evenements/nouveau/", data)

    assert response.status_code == 200
    assert "1900 et 2200" in str(response.context["form"].errors[field])
    assert not Event.objects.filter(title="Hors du temps").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"slots": 40_000}, "slots"),
        ({"tables": 40_000}, "tables"),
        ({"slot_minutes": 2**40}, "slot_minutes"),
        ({"request_ttl_hours": 70_000}, "request_ttl_hours"),
        ({"capacity": 2**64}, "capacity"),
        ({"slots": 90, "slot_minutes": 20}, "slots"),
    ],
)
def test_an_event_holding_more_than_a_day_or_a_smallint_is_refused_by_name(
    club: Network, event: Event, client_for: Callable[[str], Client], values: dict[str, int], field: str
) -> None:
    # SQLite kept slots and tables that PostgreSQL refuses: both now answer the same.
    data = edit_data(event, title="Démesure", **values)

    response = client_for("manager").post("/evenements/nouveau/", data)

    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Event.objects.filter(title="Démesure").exists()
