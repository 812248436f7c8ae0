"""Answering the barometer: anonymous answers, one per person, network and quarter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meute.accounts.models import Person, User
from meute.barometer.models import BarometerAnswer, BarometerReceipt
from meute.barometer.services import barometer_answer, period_of
from meute.events.models import Event, EventKind
from meute.networks.models import Network
from meute.reference.models import NafCode

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)
ANSWERS = {"activity": "up", "orders": "stable", "hiring": "hire", "cash": "tight", "morale": "optimistic"}


def answer(person: Person, network: Network, **kwargs: object) -> None:
    values: dict[str, object] = {**ANSWERS, "today": TODAY}
    values.update(kwargs)
    barometer_answer(person=person, network=network, **values)  # type: ignore[arg-type]


def meeting(network: Network | None, day: dt.date) -> Event:
    start = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 8))
    return Event.objects.create(
        network=network, title="Petit-déjeuner", kind=EventKind.MEETING, starts_at=start, ends_at=start
    )


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (dt.date(2026, 1, 1), "2026-T1"),
        (dt.date(2026, 3, 31), "2026-T1"),
        (dt.date(2026, 4, 1), "2026-T2"),
        (dt.date(2026, 9, 30), "2026-T3"),
        (dt.date(2026, 10, 1), "2026-T4"),
        (dt.date(2026, 12, 31), "2026-T4"),
    ],
)
def test_the_period_is_the_quarter(day: dt.date, period: str) -> None:
    assert period_of(day) == period


def test_an_answer_keeps_no_trace_of_the_person(club: Network, member: User) -> None:
    naf = NafCode.objects.filter(section="F").first()
    assert naf is not None
    person = member.person  # type: ignore[attr-defined]
    person.organisation.naf = naf
    person.organisation.save()
    answer(person, club)
    row = BarometerAnswer.objects.values().get()
    assert row["period"] == "2026-T4" and row["sector"] == "F" and row["network_id"] == club.pk
    assert {k: row[k] for k in ANSWERS} == ANSWERS
    # Neither a person, a timestamp nor a sequential key on the answer.
    fields = {f.name for f in BarometerAnswer._meta.get_fields()}
    assert fields == {"id", "network", "event", "period", "sector", *ANSWERS}
    receipt = BarometerReceipt.objects.values().get()
    assert set(receipt) == {"id", "person_id", "network_id", "period"}
    assert receipt["person_id"] == person.pk and receipt["id"] != row["id"]


def test_a_person_without_sector_is_counted_with_an_empty_sector(club: Network, member: User) -> None:
    answer(member.person, club)  # type: ignore[attr-defined]
    assert BarometerAnswer.objects.get().sector == ""


def test_a_person_answers_only_once_per_quarter_and_network(club: Network, member: User) -> None:
    answer(member.person, club)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match=r"déjà répondu au baromètre .* 2026-T4"):
        answer(member.person, club, activity="down")  # type: ignore[attr-defined]
    assert BarometerAnswer.objects.count() == 1
    assert BarometerReceipt.objects.count() == 1


def test_the_next_quarter_takes_a_new_answer(club: Network, member: User) -> None:
    answer(member.person, club)  # type: ignore[attr-defined]
    answer(member.person, club, today=dt.date(2027, 1, 2))  # type: ignore[attr-defined]
    assert sorted(BarometerAnswer.objects.values_list("period", flat=True)) == ["2026-T4", "2027-T1"]


def test_only_active_members_answer(club: Network, other_member: User) -> None:
    with pytest.raises(ValidationError, match="Seuls les membres actifs"):
        answer(other_member.person, club)  # type: ignore[attr-defined]
    assert not BarometerAnswer.objects.exists() and not BarometerReceipt.objects.exists()


def test_an_unknown_answer_names_its_question(club: Network, member: User) -> None:
    with pytest.raises(ValidationError) as exc:
        answer(member.person, club, cash="rich", morale="")  # type: ignore[attr-defined]
    assert exc.value.message_dict == {
        "cash": ["Trésorerie : choisissez une des réponses proposées."],
        "morale": ["Moral : choisissez une des réponses proposées."],
    }
    assert not BarometerReceipt.objects.exists()


def test_the_answer_may_be_tied_to_a_meeting_of_the_network(club: Network, member: User) -> None:
    event = meeting(club, dt.date(2026, 11, 20))
    answer(member.person, club, event=event)  # type: ignore[attr-defined]
    assert BarometerAnswer.objects.get().event == event


def test_a_meeting_of_another_network_or_quarter_is_refused(
    club: Network, other_club: Network, member: User
) -> None:
    for event, text in (
        (meeting(other_club, dt.date(2026, 11, 20)), "n'est pas une rencontre de"),
        (meeting(club, dt.date(2026, 9, 30)), "n'a pas lieu au trimestre 2026-T4"),
    ):
        with pytest.raises(ValidationError) as exc:
            answer(member.person, club, event=event)  # type: ignore[attr-defined]
        assert text in exc.value.message_dict["event"][0]
    assert not BarometerAnswer.objects.exists() and not BarometerReceipt.objects.exists()
