"""Business-meeting days, screens: who may see each page (every role), id guessing, bad input, flows."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.test import Client

from meute.accounts.models import User
from meute.events.business import services as business_services
from meute.events.models import Audience, Event, MeetingRequest, RequestStatus
from meute.networks.models import Network
from tests.events.conftest_business import *  # noqa: F403
from tests.events.conftest_business import BUSINESS_ROLES, login, make_day, make_user, reg_of, register

pytestmark = pytest.mark.django_db

PARTICIPANT_PAGES = ["", "participants/", "profil/", "disponibilites/", "agenda/", "agenda.ics"]
ONLY_PARTICIPANT = {role: 404 for role in BUSINESS_ROLES} | {"participant": 200, "anonymous": 302}
ONLY_MANAGERS = {role: 404 for role in BUSINESS_ROLES} | {"staff": 200, "manager": 200, "anonymous": 302}


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def url(event: Event, tail: str = "") -> str:
    return f"/evenements/{event.pk}/rendez-vous/{tail}"


@pytest.mark.parametrize("tail", PARTICIPANT_PAGES)
@pytest.mark.parametrize("role", BUSINESS_ROLES)
def test_participant_pages_are_for_participants_only(
    day: Event, participant: User, client_as: Callable[[str], Client], role: str, tail: str
) -> None:
    response = client_as(role).get(url(day, tail))
    assert response.status_code == ONLY_PARTICIPANT[role]
    if role == "anonymous":
        assert response["Location"].startswith("/comptes/")


@pytest.mark.parametrize(
    ("tail", "data"),
    [("profil/", {"offers": "Rien", "seeks": "Tout"}), ("disponibilites/", {"slots": ["1"]})],
)
@pytest.mark.parametrize("role", BUSINESS_ROLES)
def test_only_participants_change_their_profile_and_availability(
    day: Event,
    participant: User,
    client_as: Callable[[str], Client],
    role: str,
    tail: str,
    data: dict[str, object],
) -> None:
    response = client_as(role).post(url(day, tail), data)
    assert response.status_code == {"participant": 302, "anonymous": 302}.get(role, 404)
    reg = reg_of(day, participant)
    changed = reg.offers == "Rien" or reg.available_slots == [1]
    assert changed == (role == "participant")


@pytest.mark.parametrize("role", BUSINESS_ROLES)
def test_the_placement_page_is_for_the_events_managers(
    day: Event, participant: User, client_as: Callable[[str], Client], role: str
) -> None:
    assert client_as(role).get(url(day, "placement/")).status_code == ONLY_MANAGERS[role]


@pytest.mark.parametrize("role", BUSINESS_ROLES)
def test_placing_is_for_the_events_managers(
    day: Event, participant: User, client_as: Callable[[str], Client], role: str
) -> None:
    expected = {**ONLY_MANAGERS, "staff": 302, "manager": 302}
    assert client_as(role).post(url(day, "placement/"), {"seed": "0"}).status_code == expected[role]


def test_a_manager_of_another_network_cannot_place_a_public_day_they_can_see(
    club: Network, other_manager: User
) -> None:
    public = make_day(club, audience=Audience.PUBLIC)
    client = login(other_manager)
    assert client.get(f"/evenements/{public.pk}/").status_code == 200
    assert client.get(url(public, "placement/")).status_code == 404
    assert client.post(url(public, "placement/")).status_code == 404


# ------------------------------------------------------------------ a member of another network


@pytest.fixture
def partners_day(club: Network, other_club: Network) -> Event:
    """A business day of `club` open to `other_club`, with `other_member` taking part."""
    event = make_day(club, audience=Audience.PARTNERS)
    event.partner_networks.set([other_club])
    return event


OTHER_MEMBER_GETS = [*PARTICIPANT_PAGES, "placement/"]


@pytest.mark.parametrize("tail", OTHER_MEMBER_GETS)
def test_a_member_of_another_network_reaches_no_business_page(
    day: Event, participant: User, other_member: User, tail: str
) -> None:
    assert login(other_member).get(url(day, tail)).status_code == 404


def test_a_member_of_another_network_writes_nothing_on_a_business_day(
    day: Event, participant: User, partner: User, other_member: User
) -> None:
    client = login(other_member)
    req = business_services.request_create(sender=reg_of(day, partner), recipient=reg_of(day, participant))

    assert client.post(url(day, "profil/"), {"offers": "Rien", "seeks": "Tout"}).status_code == 404
    assert client.post(url(day, "disponibilites/"), {"slots": ["1"]}).status_code == 404
    assert client.post(url(day, f"demander/{reg_of(day, partner).pk}/")).status_code == 404
    assert client.post(url(day, f"demandes/{req.pk}/reponse/"), {"answer": "accept"}).status_code == 404
    assert client.post(url(day, "placement/"), {"seed": "0"}).status_code == 404
    assert MeetingRequest.objects.count() == 1
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_a_partner_participant_loses_the_business_pages_when_the_day_becomes_members_only(
    partners_day: Event, other_member: User
) -> None:
    register(partners_day, other_member)
    assert login(other_member).get(url(partners_day)).status_code == 200

    Event.objects.filter(pk=partners_day.pk).update(audience=Audience.MEMBERS)

    for tail in PARTICIPANT_PAGES:
        assert login(other_member).get(url(partners_day, tail)).status_code == 404, tail


@pytest.mark.parametrize("tail", OTHER_MEMBER_GETS)
def test_a_partner_network_member_who_did_not_register_reaches_no_business_page(
    partners_day: Event, other_member: User, tail: str
) -> None:
    assert login(other_member).get(f"/evenements/{partners_day.pk}/").status_code == 200
    assert login(other_member).get(url(partners_day, tail)).status_code == 404


def test_a_waitlisted_or_cancelled_person_is_not_a_participant(day: Event, club: Network) -> None:
    waiting = make_user(club)
    register(day, waiting, status="waitlisted")
    assert login(waiting).get(url(day)).status_code == 404


def test_pages_of_an_event_that_is_not_a_business_day_do_not_exist(club: Network, staff: User) -> None:
    meeting = make_day(club, kind="meeting")
    user = make_user(club)
    register(meeting, user)
    assert login(user).get(url(meeting)).status_code == 404
    assert login(staff).get(url(meeting, "placement/")).status_code == 404


# ------------------------------------------------------------------ requests through the screens


@pytest.mark.parametrize("role", BUSINESS_ROLES)
def test_only_participants_may_send_a_request(
    day: Event, participant: User, partner: User, client_as: Callable[[str], Client], role: str
) -> None:
    target = reg_of(day, partner)
    response = client_as(role).post(url(day, f"demander/{target.pk}/"), {"message": "Bonjour"})
    assert response.status_code == (302 if role in ("participant", "anonymous") else 404)
    assert MeetingRequest.objects.exists() == (role == "participant")


def test_a_participant_requests_and_the_other_accepts(day: Event, participant: User, partner: User) -> None:
    me, them = login(participant), login(partner)
    listing = text(me.get(url(day, "participants/")))
    assert "Bruno Petit" in listing and "Plans d'architecte" in listing

    me.post(url(day, f"demander/{reg_of(day, partner).pk}/"), {"message": "Parlons bois"})
    req = MeetingRequest.objects.get()
    assert req.message == "Parlons bois" and req.status == RequestStatus.PENDING
    page = text(them.get(url(day)))
    assert "Parlons bois" in page and "Alice Martin" in page
    assert "1 demande en attente" in text(them.get(f"/evenements/{day.pk}/"))

    response = them.post(url(day, f"demandes/{req.pk}/reponse/"), {"answer": "accept"}, follow=True)
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED
    assert "Demande acceptée." in text(response)


def test_a_request_to_oneself_gets_a_clear_message(day: Event, participant: User) -> None:
    response = login(participant).post(url(day, f"demander/{reg_of(day, participant).pk}/"), follow=True)
    assert "vous-même" in text(response)
    assert not MeetingRequest.objects.exists()


def test_a_duplicate_request_gets_a_clear_message(day: Event, participant: User, partner: User) -> None:
    client = login(participant)
    client.post(url(day, f"demander/{reg_of(day, partner).pk}/"))
    response = client.post(url(day, f"demander/{reg_of(day, partner).pk}/"), follow=True)
    assert "déjà demandé un rendez-vous" in text(response)
    assert MeetingRequest.objects.count() == 1


def test_a_request_after_the_start_gets_a_clear_message(club: Network) -> None:
    from django.utils import timezone

    started = make_day(club, starts_at=timezone.now() - __import__("datetime").timedelta(minutes=5))
    a, b = make_user(club), make_user(club)
    register(started, a)
    target = register(started, b)
    response = login(a).post(url(started, f"demander/{target.pk}/"), follow=True)
    assert "a commencé" in text(response)
    assert not MeetingRequest.objects.exists()


def test_a_too_long_message_is_refused(day: Event, participant: User, partner: User) -> None:
    response = login(participant).post(
        url(day, f"demander/{reg_of(day, partner).pk}/"), {"message": "x" * 1001}
    )
    assert response.status_code == 302
    assert not MeetingRequest.objects.exists()


def test_guessing_ids_of_another_event_or_of_hidden_people_answers_404(
    day: Event, participant: User, partner: User, club: Network
) -> None:
    client = login(participant)
    other_day = make_day(club)
    stranger = register(other_day, make_user(club))
    shy = register(day, make_user(club), consent=False)
    assert client.post(url(day, f"demander/{stranger.pk}/")).status_code == 404
    assert client.post(url(day, f"demander/{shy.pk}/")).status_code == 404
    assert client.post(url(day, "demander/999999/")).status_code == 404

    # A request of another event, and one I sent (only the recipient answers).
    x, y = register(other_day, make_user(club)), register(other_day, make_user(club))
    elsewhere = business_services.request_create(sender=x, recipient=y)
    mine = business_services.request_create(sender=reg_of(day, participant), recipient=reg_of(day, partner))
    for req in (elsewhere, mine):
        response = client.post(url(day, f"demandes/{req.pk}/reponse/"), {"answer": "accept"})
        assert response.status_code == 404
        req.refresh_from_db()
        assert req.status == RequestStatus.PENDING
    # The other event's request through that event's own address: still not mine.
    assert (
        client.post(url(other_day, f"demandes/{elsewhere.pk}/reponse/"), {"answer": "accept"}).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["staff", "manager", "other_manager", "member", "partner", "anonymous"])
def test_nobody_but_the_recipient_answers(
    day: Event, participant: User, partner: User, request: pytest.FixtureRequest, role: str
) -> None:
    req = business_services.request_create(sender=reg_of(day, partner), recipient=reg_of(day, participant))
    user = request.getfixturevalue(role)
    response = login(user).post(url(day, f"demandes/{req.pk}/reponse/"), {"answer": "accept"})
    assert response.status_code == (302 if role == "anonymous" else 404)
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_an_unknown_answer_is_refused(day: Event, participant: User, partner: User) -> None:
    req = business_services.request_create(sender=reg_of(day, partner), recipient=reg_of(day, participant))
    response = login(participant).post(
        url(day, f"demandes/{req.pk}/reponse/"), {"answer": "peut-être"}, follow=True
    )
    assert "Réponse inconnue" in text(response)
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


# ------------------------------------------------------------------ profile and availability


def test_the_profile_is_prefilled_and_saved(day: Event, participant: User) -> None:
    client = login(participant)
    assert "Menuiserie sur mesure" in text(client.get(url(day, "profil/")))
    client.post(url(day, "profil/"), {"offers": "Escaliers", "seeks": "Promoteurs"})
    reg = reg_of(day, participant)
    assert (reg.offers, reg.seeks) == ("Escaliers", "Promoteurs")


def test_availability_lists_slots_with_their_times_and_saves(day: Event, participant: User) -> None:
    from django.utils import timezone

    client = login(participant)
    page = text(client.get(url(day, "disponibilites/")))
    first = timezone.localtime(day.starts_at).strftime("%H:%M")
    assert first in page and 'type="checkbox"' in page and "<legend>" in page

    assert client.post(url(day, "disponibilites/"), {"slots": ["0", "2"]}).status_code == 302
    assert reg_of(day, participant).available_slots == [0, 2]


@pytest.mark.parametrize("bad", ["4", "99", "-1", "midi"])
def test_availability_outside_the_slots_is_refused_with_a_message(
    day: Event, participant: User, bad: str
) -> None:
    response = login(participant).post(url(day, "disponibilites/"), {"slots": ["0", bad]})
    assert response.status_code == 400
    assert "n'existe pas" in text(response)
    assert reg_of(day, participant).available_slots == []


# ------------------------------------------------------------------ placement and agenda end to end


def test_the_organiser_places_and_each_person_sees_slot_and_table(
    day: Event, participant: User, partner: User, manager: User
) -> None:
    a, b = reg_of(day, participant), reg_of(day, partner)
    for reg in (a, b):
        business_services.availability_set(registration=reg, slots=[1, 2])
    req = business_services.request_create(sender=a, recipient=b)
    business_services.request_answer(request=req, recipient=b, accept=True)

    response = login(manager).post(url(day, "placement/"), {"seed": "3"}, follow=True)
    body = text(response)
    assert "1 rendez-vous placés sur 1 acceptés" in body
    assert "Rapport à la borne" in body and "<caption>" in body

    req.refresh_from_db()
    assert req.slot in (1, 2) and req.table in (1, 2)
    agenda = text(login(participant).get(url(day, "agenda/")))
    assert "Bruno Petit" in agenda and '<th scope="col">' in agenda
    ics = login(partner).get(url(day, "agenda.ics"))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"Alice Martin" in ics.content and b"BEGIN:VEVENT" in ics.content


@pytest.mark.parametrize(("field", "word"), [("slots", "créneaux"), ("tables", "tables")])
def test_placing_without_slots_or_tables_shows_a_clear_message(
    day: Event, manager: User, field: str, word: str
) -> None:
    Event.objects.filter(pk=day.pk).update(**{field: 0})
    response = login(manager).post(url(day, "placement/"), {"seed": "0"}, follow=True)
    assert response.status_code == 200
    assert f"nombre de {word}" in text(response)


def test_a_negative_seed_is_refused(day: Event, manager: User) -> None:
    response = login(manager).post(url(day, "placement/"), {"seed": "-1"})
    assert response.status_code == 400


def test_the_event_page_links_to_the_business_pages_by_role(
    day: Event, participant: User, manager: User
) -> None:
    page = text(login(participant).get(f"/evenements/{day.pk}/"))
    assert url(day) in page and url(day, "placement/") not in page
    page = text(login(manager).get(f"/evenements/{day.pk}/"))
    assert url(day, "placement/") in page and url(day, "agenda/") not in page
