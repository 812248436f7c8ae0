"""Speed meetings and the matchmaking consent: who is listed, what table partners see.

Someone who refused matchmaking is still seated, with a neutral profile; the
other participants see their name only, wherever the plan is shown (web
agenda, PDF, calendar file, printed table plan), and never find them on the
lists of people to meet or avoid. The organiser keeps names and companies.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from meute.accounts.models import ConsentPurpose, User
from meute.events.models import Event, PairReason, Registration, RotationPlan, Seat
from meute.events.speed import instance as speed_instance
from meute.events.speed import pdf as speed_pdf
from meute.events.speed import selectors as speed_selectors
from meute.events.speed import services as speed_services
from meute.networks.models import Network
from tests.events.conftest import PROFILES, register
from tests.factories import ConsentFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def refuse(registration: Registration) -> None:
    """A new decision: no to matchmaking (the history keeps the earlier yes)."""
    ConsentFactory(person=registration.person, purpose=ConsentPurpose.MATCHMAKING, granted=False)


@pytest.fixture
def refuser(speed_event: Event, club: Network) -> Registration:
    """A participant who refused matchmaking, with a company, a function and an offer."""
    person = PersonFactory(
        first_name="Nina",
        last_name="Refuse",
        job_title="Directrice secrète",
        organisation=OrganisationFactory(name="Discrétion SARL"),
    )
    MembershipFactory(network=club, person=person)
    ConsentFactory(person=person, purpose=ConsentPurpose.MATCHMAKING, granted=False)
    return register(speed_event, person, consent=False, offers="Offre confidentielle", seeks="Rien à dire")


def partners_of(plan: RotationPlan, registration: Registration) -> set[int]:
    tables = set(
        Seat.objects.filter(plan=plan, registration=registration).values_list("round_no", "table_no")
    )
    return {
        s.registration_id
        for s in Seat.objects.filter(plan=plan).exclude(registration=registration)
        if (s.round_no, s.table_no) in tables
    }


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every string the PDF documents print (the embedded font hides them in the file itself)."""
    seen: list[str] = []
    original = speed_pdf._text

    def spy(pdf: Any, value: str) -> str:
        seen.append(value)
        return original(pdf, value)

    monkeypatch.setattr(speed_pdf, "_text", spy)
    yield seen


# --------------------------------------------------------------------------- the profile page


def test_the_profile_page_lists_only_participants_who_consent(
    speed_event: Event, speed_people: list[Registration], refuser: Registration, member: User
) -> None:
    page = text(login(member).get(reverse("events:speed_profile", args=[speed_event.pk])))

    assert "Nina Refuse" not in page and "Discrétion SARL" not in page
    for reg in speed_people[1:]:
        assert reg.person.full_name in page


def test_a_participant_who_refused_cannot_be_wished_or_avoided_by_guessing_their_id(
    speed_event: Event, speed_people: list[Registration], refuser: Registration, member: User
) -> None:
    client = login(member)
    url = reverse("events:speed_profile", args=[speed_event.pk])
    for field in ("wishes", "avoids"):
        response = client.post(url, {"offers": "x", "seeks": "y", field: [refuser.pk]})
        assert response.status_code == 400 and field in response.context["form"].errors
    mine = Registration.objects.get(pk=speed_people[0].pk)
    assert not mine.wishes.exists() and not mine.avoids.exists()


def test_an_avoid_chosen_before_the_person_refused_is_kept_but_no_longer_shown(
    speed_event: Event, speed_people: list[Registration], member: User
) -> None:
    client = login(member)
    url = reverse("events:speed_profile", args=[speed_event.pk])
    avoided, wished = speed_people[4], speed_people[3]
    client.post(url, {"offers": "x", "seeks": "y", "avoids": [avoided.pk]})
    refuse(avoided)

    page = text(client.get(url))
    assert avoided.person.full_name not in page
    response = client.post(url, {"offers": "x", "seeks": "y", "wishes": [wished.pk]})

    assert response.status_code == 302
    mine = Registration.objects.get(pk=speed_people[0].pk)
    assert list(mine.avoids.all()) == [avoided] and list(mine.wishes.all()) == [wished]


def test_a_participant_who_refused_is_told_what_it_means_on_their_profile_page(
    speed_event: Event, speed_people: list[Registration], member: User
) -> None:
    refuse(speed_people[0])
    page = text(login(member).get(reverse("events:speed_profile", args=[speed_event.pk])))
    assert "ceux-ci ne voient que votre nom" in page
    assert reverse("accounts:profile") in page


def test_a_wish_to_meet_someone_who_refused_does_not_count(
    speed_event: Event, speed_people: list[Registration]
) -> None:
    mine = speed_people[0]
    mine.wishes.set([speed_people[3], speed_people[4]])
    refuse(speed_people[4])

    profiles = {p.id: p for p in speed_instance.build_profiles(speed_selectors.participants(speed_event))}

    assert profiles[str(mine.pk)].wishes == (str(speed_people[3].pk),)


# --------------------------------------------------------------------------- what partners see


def test_partners_who_refused_before_the_plan_appear_by_name_only_in_the_agenda(
    speed_event: Event,
    speed_people: list[Registration],
    member: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    for reg in speed_people[1:]:
        refuse(reg)
    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=3, round_minutes=8, break_minutes=2
    )
    with django_capture_on_commit_callbacks(execute=True):
        speed_services.plan_generate(plan=plan)
    with django_capture_on_commit_callbacks(execute=True):
        plan = speed_services.plan_publish(plan=RotationPlan.objects.get(pk=plan.pk))

    page = text(login(member).get(reverse("events:speed_agenda", args=[speed_event.pk])))

    partners = Registration.objects.filter(pk__in=partners_of(plan, speed_people[0]))
    assert len(partners) == 3
    for reg in partners:
        assert reg.person.full_name in page
        assert reg.person.organisation is not None and reg.person.organisation.name not in page
        assert reg.person.job_title not in page
    assert not any(offers in page for offers, _seeks in PROFILES[1:])
    assert "Propose :" not in page and "Pourquoi cette rencontre" not in page


@pytest.fixture
def withdrawn(published_plan: RotationPlan, speed_people: list[Registration]) -> Registration:
    """A round-1 partner of `member`, who refuses matchmaking once the plan is published."""
    mine = Seat.objects.get(plan=published_plan, round_no=1, registration=speed_people[0])
    seat = (
        Seat.objects.filter(plan=published_plan, round_no=1, table_no=mine.table_no).exclude(pk=mine.pk).get()
    )
    partner = seat.registration
    # Words found nowhere else in the plan (two of the six people share a company).
    discreet: Any = OrganisationFactory(name="Discrétion SARL")
    partner.person.organisation = discreet
    partner.person.job_title = "Directrice secrète"
    partner.person.save()
    refuse(partner)
    return Registration.objects.select_related("person__organisation").get(pk=partner.pk)


def reason_between(plan: RotationPlan, a: Registration, b: Registration) -> str:
    why = PairReason.objects.get(plan=plan, first_id=min(a.pk, b.pk), second_id=max(a.pk, b.pk)).why
    assert why  # written when both still consented
    return why


def test_a_partner_who_withdraws_after_publication_is_shown_by_name_only_everywhere(
    published_plan: RotationPlan,
    speed_people: list[Registration],
    withdrawn: Registration,
    member: User,
    printed: list[str],
) -> None:
    client = login(member)
    event_id = published_plan.event_id
    why = reason_between(published_plan, speed_people[0], withdrawn)
    hidden = ("Discrétion SARL", "Directrice secrète", withdrawn.offers, why)

    page = text(client.get(reverse("events:speed_agenda", args=[event_id])))
    assert withdrawn.person.full_name in page
    assert not any(x in page for x in hidden)

    cal = Calendar.from_ical(client.get(reverse("events:speed_agenda_ics", args=[event_id])).content)
    first = next(c for c in cal.walk("VEVENT") if "Tour 1" in str(c["SUMMARY"]))
    description = str(first["DESCRIPTION"])
    assert description == withdrawn.person.full_name  # no company, no reason

    assert client.get(reverse("events:speed_agenda_pdf", args=[event_id])).status_code == 200
    assert any(withdrawn.person.full_name in line for line in printed)
    assert not any(x in line for line in printed for x in hidden)


def test_the_participant_who_withdrew_still_sees_their_consenting_partners(
    published_plan: RotationPlan, speed_people: list[Registration], withdrawn: Registration
) -> None:
    rows = speed_selectors.agenda(published_plan, withdrawn)
    cards = [card for row in rows for card in row.partners]
    assert cards and all(
        card.offers and card.company for card in cards if card.registration_id != withdrawn.pk
    )
    # but the reason for meeting them was written from their own profile too: withheld
    first = next(row for row in rows if row.round_no == 1)
    assert [card.registration_id for card in first.partners] == [speed_people[0].pk]
    assert first.partners[0].why == ""


def test_the_printed_table_plan_shows_people_who_refused_by_name_only(
    published_plan: RotationPlan,
    speed_people: list[Registration],
    withdrawn: Registration,
    manager: User,
    printed: list[str],
) -> None:
    response = login(manager).get(reverse("events:speed_tables_pdf", args=[published_plan.event_id]))

    assert response.status_code == 200
    assert any(withdrawn.person.full_name in line for line in printed)
    assert not any("Discrétion SARL" in line or "Directrice secrète" in line for line in printed)
    consenting = speed_people[0].person
    assert any(consenting.organisation.name in line for line in printed)  # type: ignore[union-attr]


def test_the_organiser_keeps_names_and_companies_on_their_screen(
    published_plan: RotationPlan, withdrawn: Registration, manager: User
) -> None:
    page = text(login(manager).get(reverse("events:speed_manage", args=[published_plan.event_id])))
    assert withdrawn.person.full_name in page
    assert "Discrétion SARL" in page
