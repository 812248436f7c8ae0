"""Outcomes, screens: rating one's meetings, the event's outcome, the chamber's table; every role."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from meute.accounts.models import User
from meute.events.models import Event, MeetingRating, MeetingRequest, Registration, RequestStatus
from meute.events.outcomes import services as outcome_services
from meute.networks.models import Network
from tests.events.conftest_business import *  # noqa: F403
from tests.events.conftest_business import BUSINESS_ROLES, login, make_day, make_user, reg_of, register


def club_of(event: Event) -> Network:
    assert event.network is not None
    return event.network


pytestmark = pytest.mark.django_db


@pytest.fixture  # type: ignore[no-redef]  # overrides the future day of conftest_business
def day(club: Network) -> Event:  # the roles' business day, three days ago
    return make_day(club, starts_at=timezone.now() - dt.timedelta(days=3))


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def placed(a: Registration, b: Registration, slot: int = 0) -> MeetingRequest:
    return MeetingRequest.objects.create(
        event=a.event,
        sender=a,
        recipient=b,
        status=RequestStatus.ACCEPTED,
        expires_at=a.event.starts_at,
        slot=slot,
        table=1,
    )


@pytest.fixture
def met(day: Event, participant: User, partner: User) -> MeetingRequest:
    return placed(reg_of(day, participant), reg_of(day, partner))


# On top of the business roles: a member of another network, and someone who took part in
# another network's event (a participant, but not of this event).
OUTCOME_ROLES = (*BUSINESS_ROLES, "other_member", "other_participant")
OUTCOME_SEERS = {"staff": 200, "manager": 200, "participant": 200, "member": 200}


@pytest.fixture
def other_participant(other_club: Network) -> User:
    """A member of `other_club` who took part in, and rated, a past business day of `other_club`."""
    elsewhere = make_day(other_club, starts_at=timezone.now() - dt.timedelta(days=3))
    user = make_user(other_club, first_name="Olga", last_name="Ailleurs")
    mine, theirs = register(elsewhere, user), register(elsewhere, make_user(other_club))
    placed(mine, theirs)
    outcome_services.rating_save(rater=mine, other=theirs, useful=True)
    return user


@pytest.fixture
def outcome_client(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    """A client logged in as one of OUTCOME_ROLES (`anonymous`: nobody)."""

    def make(role: str) -> Client:
        assert role in OUTCOME_ROLES, role
        return login(None if role == "anonymous" else request.getfixturevalue(role))

    return make


def expected_for(role: str, allowed: dict[str, int]) -> int:
    return allowed.get(role, 302 if role == "anonymous" else 404)


@pytest.mark.parametrize("role", OUTCOME_ROLES)
def test_the_events_outcome_is_for_managers_participants_and_the_network(
    day: Event, met: MeetingRequest, outcome_client: Callable[[str], Client], role: str
) -> None:
    response = outcome_client(role).get(f"/evenements/{day.pk}/bilan/")
    assert response.status_code == expected_for(role, OUTCOME_SEERS)
    if role == "anonymous":
        assert "/connexion/" in response["Location"]


@pytest.mark.parametrize("role", OUTCOME_ROLES)
def test_the_rating_page_is_for_participants_only(
    day: Event, met: MeetingRequest, outcome_client: Callable[[str], Client], role: str
) -> None:
    response = outcome_client(role).get(f"/evenements/{day.pk}/bilan/mes-rencontres/")
    assert response.status_code == expected_for(role, {"participant": 200})


@pytest.mark.parametrize("role", OUTCOME_ROLES)
def test_only_the_participant_rates_their_meeting(
    day: Event,
    met: MeetingRequest,
    participant: User,
    partner: User,
    outcome_client: Callable[[str], Client],
    role: str,
) -> None:
    other = reg_of(day, partner)
    client = outcome_client(role)
    before = set(MeetingRating.objects.values_list("pk", flat=True))  # other_participant's own rating
    response = client.post(
        f"/evenements/{day.pk}/bilan/mes-rencontres/{other.pk}/", {f"r{other.pk}-useful": "yes"}
    )
    assert response.status_code == expected_for(role, {"participant": 302})
    written = MeetingRating.objects.exclude(pk__in=before)
    assert list(written.values_list("rater__person", "other")) == (
        [(participant.person.pk, other.pk)] if role == "participant" else []
    )


@pytest.mark.parametrize("role", OUTCOME_ROLES)
def test_the_chamber_table_is_for_staff_only(
    day: Event, participant: User, outcome_client: Callable[[str], Client], role: str
) -> None:
    assert outcome_client(role).get("/evenements/bilan/").status_code == expected_for(role, {"staff": 200})


def test_guessed_event_ids_answer_404(
    day: Event,
    met: MeetingRequest,
    other_participant: User,
    other_club: Network,
    manager: User,
    staff: User,
    participant: User,
) -> None:
    elsewhere = Registration.objects.get(person=other_participant.person).event
    dinner = make_day(club_of(day), kind="meeting", starts_at=day.starts_at)  # no meetings to rate
    for user, pk in [
        (staff, 999999),
        (manager, elsewhere.pk),  # another network's event
        (participant, elsewhere.pk),
        (manager, dinner.pk),
        (staff, dinner.pk),
    ]:
        client = login(user)
        assert client.get(f"/evenements/{pk}/bilan/").status_code == 404, (user, pk)
        assert client.get(f"/evenements/{pk}/bilan/mes-rencontres/").status_code == 404, (user, pk)


def test_rating_through_another_events_address_answers_404(
    day: Event, met: MeetingRequest, participant: User, other_participant: User
) -> None:
    theirs = Registration.objects.filter(person=other_participant.person).get()
    partner_elsewhere = Registration.objects.filter(event=theirs.event).exclude(pk=theirs.pk).get()
    client = login(participant)
    # this event's address, the other event's registration; then the other event's address
    for event_pk in (day.pk, theirs.event_id):
        response = client.post(
            f"/evenements/{event_pk}/bilan/mes-rencontres/{partner_elsewhere.pk}/",
            {f"r{partner_elsewhere.pk}-useful": "no"},
        )
        assert response.status_code == 404
    assert not MeetingRating.objects.filter(event=day).exists()
    assert not MeetingRating.objects.filter(rater__person=participant.person).exists()


def test_the_chamber_address_does_not_clash_with_event_pages(staff: User, day: Event) -> None:
    client = login(staff)
    assert "Bilan des rencontres d'affaires" in text(client.get("/evenements/bilan/"))
    assert client.get(f"/evenements/{day.pk}/").status_code == 200


def test_a_participant_rates_a_meeting_and_sees_only_their_own_answer(
    day: Event, met: MeetingRequest, participant: User, partner: User
) -> None:
    me, other = reg_of(day, participant), reg_of(day, partner)
    outcome_services.rating_save(
        rater=other, other=me, useful=False, follow_up=True
    )  # the partner's, private
    client = login(participant)
    page = text(client.get(f"/evenements/{day.pk}/bilan/mes-rencontres/"))
    assert "Bruno Petit" in page and 'type="radio"' in page and "checked" not in page

    prefix = f"r{other.pk}"
    response = client.post(
        f"/evenements/{day.pk}/bilan/mes-rencontres/{other.pk}/",
        {f"{prefix}-useful": "yes", f"{prefix}-contract_signed": "on", f"{prefix}-amount": "2500"},
        follow=True,
    )
    assert "est enregistré" in text(response)
    rating = MeetingRating.objects.get(rater=me)
    assert rating.useful and rating.contract_signed and rating.amount == Decimal("2500")
    partner_page = text(login(partner).get(f"/evenements/{day.pk}/bilan/mes-rencontres/"))
    assert "2500" not in partner_page


@pytest.mark.parametrize(
    ("data", "useful", "amount"),
    [
        ({"useful": "no", "follow_up": "on"}, False, None),
        ({"useful": "yes", "contract_signed": "on", "amount": "1 200,50"}, True, Decimal("1200.50")),
    ],
)
def test_answers_are_read_as_people_type_them(
    day: Event,
    met: MeetingRequest,
    participant: User,
    partner: User,
    data: dict[str, str],
    useful: bool,
    amount: Decimal | None,
) -> None:
    other = reg_of(day, partner)
    login(participant).post(
        f"/evenements/{day.pk}/bilan/mes-rencontres/{other.pk}/",
        {f"r{other.pk}-{k}": v for k, v in data.items()},
    )
    rating = MeetingRating.objects.get()
    assert (rating.useful, rating.amount) == (useful, amount)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "utile"),
        ({"useful": "peut-être"}, "utile"),
        ({"useful": "yes", "amount": "100"}, "seulement si un contrat"),
        ({"useful": "yes", "contract_signed": "on", "amount": "-5"}, "Montant"),
        ({"useful": "yes", "contract_signed": "on", "amount": "beaucoup"}, "Montant"),
    ],
)
def test_bad_ratings_get_a_clear_message(
    day: Event, met: MeetingRequest, participant: User, partner: User, data: dict[str, str], message: str
) -> None:
    other = reg_of(day, partner)
    response = login(participant).post(
        f"/evenements/{day.pk}/bilan/mes-rencontres/{other.pk}/",
        {f"r{other.pk}-{k}": v for k, v in data.items()},
        follow=True,
    )
    assert message in text(response)
    assert not MeetingRating.objects.exists()


def test_rating_someone_not_met_or_of_another_event_answers_404(
    day: Event, met: MeetingRequest, participant: User, club: Network
) -> None:
    stranger = register(day, make_user(club))
    elsewhere = register(make_day(club, starts_at=day.starts_at), make_user(club))
    client = login(participant)
    for reg in (stranger, elsewhere):
        response = client.post(
            f"/evenements/{day.pk}/bilan/mes-rencontres/{reg.pk}/", {f"r{reg.pk}-useful": "yes"}
        )
        assert response.status_code == 404
    assert client.post(f"/evenements/{day.pk}/bilan/mes-rencontres/999999/").status_code == 404
    assert not MeetingRating.objects.exists()


def amounts(page: str, value: str) -> bool:
    """Whether the page prints this amount, whatever the thousands separator."""
    return any(value.replace(" ", sep) in page for sep in (" ", "", "\u202f", "\xa0"))


def test_the_outcome_hides_figures_below_five_people_and_shows_them_from_five(
    day: Event, met: MeetingRequest, participant: User, manager: User, club: Network
) -> None:
    first = reg_of(day, participant)
    others = [register(day, make_user(club)) for _ in range(5)]
    for k, reg in enumerate(others):
        placed(first, reg, slot=k + 1)
    for reg in others[:4]:
        outcome_services.rating_save(
            rater=reg, other=first, useful=True, contract_signed=True, amount=Decimal("1000")
        )

    page = text(login(manager).get(f"/evenements/{day.pk}/bilan/"))
    assert page.count("non affiché") == 6  # every figure drawn from the answers
    assert "moins de 5 personnes ont noté leurs rencontres" in page
    assert not amounts(page, "4 000")
    assert "<caption>" in page and 'scope="row"' in page

    outcome_services.rating_save(rater=others[4], other=first, useful=False)
    page = text(login(manager).get(f"/evenements/{day.pk}/bilan/"))
    assert page.count("non affiché") == 1  # the amount: four people stated one
    assert "indiqués par au moins 5 personnes, sans compter les contrats auxquels vous avez pris part" in page
    assert "80 %" in page

    outcome_services.rating_save(
        rater=others[4], other=first, useful=False, contract_signed=True, amount=Decimal("500")
    )
    page = text(login(manager).get(f"/evenements/{day.pk}/bilan/"))
    assert "non affiché" not in page
    assert amounts(page, "4 500")  # four contracts of 1000 and one of 500


def test_one_person_rating_five_meetings_does_not_publish_figures(
    day: Event, participant: User, manager: User, club: Network
) -> None:
    alice = reg_of(day, participant)
    others = [register(day, make_user(club)) for _ in range(5)]
    for k, other in enumerate(others):
        placed(alice, other, slot=k)
    for k, other in enumerate(others):
        outcome_services.rating_save(
            rater=alice,
            other=other,
            useful=k < 2,
            contract_signed=k == 0,
            amount=Decimal("12345") if k == 0 else None,
        )

    page = text(login(manager).get(f"/evenements/{day.pk}/bilan/"))

    assert "40 %" not in page and not amounts(page, "12 345")
    assert page.count("non affiché") == 6


def test_a_participant_cannot_deduce_the_others_answers_from_their_own(
    day: Event, participant: User, manager: User, club: Network
) -> None:
    me = reg_of(day, participant)
    others = [register(day, make_user(club)) for _ in range(5)]
    for k, other in enumerate(others):
        placed(me, other, slot=k)
    for other in others[:4]:
        outcome_services.rating_save(rater=me, other=other, useful=True)  # my four: all useful
        outcome_services.rating_save(
            rater=other, other=me, useful=False, contract_signed=True, amount=Decimal("777")
        )

    # five people answered, me included: the organiser reads the figures, I do not
    mine = text(login(participant).get(f"/evenements/{day.pk}/bilan/"))
    assert "50 %" not in mine and not amounts(mine, "3 108")
    assert "non affiché" in mine
    assert "il faut qu'au moins 5 personnes autres que vous aient noté leurs rencontres" in mine
    assert "50 %" in text(login(manager).get(f"/evenements/{day.pk}/bilan/"))

    # a fifth other person answers: now I may read them
    outcome_services.rating_save(rater=others[4], other=me, useful=True)
    mine = text(login(participant).get(f"/evenements/{day.pk}/bilan/"))
    assert "56 %" in mine  # 5 useful of 9


def test_the_chamber_table_hides_small_events(
    staff: User, day: Event, met: MeetingRequest, participant: User
) -> None:
    outcome_services.rating_save(rater=reg_of(day, participant), other=met.recipient, useful=True)
    page = text(login(staff).get("/evenements/bilan/"))
    assert day.title in page
    assert "non affiché" in page and "d'au moins 5 personnes" in page
    assert "<tfoot>" in page and "<caption>" in page


def test_the_event_page_links_to_rating_and_outcome_after_the_start(
    day: Event, met: MeetingRequest, participant: User, member: User
) -> None:
    page = text(login(participant).get(f"/evenements/{day.pk}/"))
    assert f"/evenements/{day.pk}/bilan/mes-rencontres/" in page and f"/evenements/{day.pk}/bilan/" in page
    page = text(login(member).get(f"/evenements/{day.pk}/"))
    assert "mes-rencontres" not in page and f"/evenements/{day.pk}/bilan/" in page


def test_speed_meeting_table_partners_are_rated_from_the_published_plan(club: Network) -> None:
    from meute.events.models import EventKind, PlanStatus, RotationPlan, Seat

    event = make_day(club, kind=EventKind.SPEED, starts_at=timezone.now() - dt.timedelta(hours=2))
    users = [make_user(club, first_name=name, last_name="Test") for name in ("Anna", "Basile", "Chloé")]
    a, b, c = (register(event, u) for u in users)
    plan = RotationPlan.objects.create(event=event, status=PlanStatus.PUBLISHED)
    Seat.objects.create(plan=plan, round_no=1, table_no=1, registration=a)
    Seat.objects.create(plan=plan, round_no=1, table_no=1, registration=b)
    Seat.objects.create(plan=plan, round_no=1, table_no=2, registration=c)
    client = login(users[0])

    page = text(client.get(f"/evenements/{event.pk}/bilan/mes-rencontres/"))
    assert "Basile Test" in page and "Chloé Test" not in page
    client.post(f"/evenements/{event.pk}/bilan/mes-rencontres/{b.pk}/", {f"r{b.pk}-useful": "yes"})
    assert (
        client.post(
            f"/evenements/{event.pk}/bilan/mes-rencontres/{c.pk}/", {f"r{c.pk}-useful": "yes"}
        ).status_code
        == 404
    )
    assert list(MeetingRating.objects.values_list("rater", "other")) == [(a.pk, b.pk)]
