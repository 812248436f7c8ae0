"""Speed meetings, screens: every role on every view, id guessing, bad input, documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from meute.events.models import Event, PlanStatus, Registration, RotationPlan, Seat
from meute.networks.models import Network
from tests.events.conftest import register
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "staff",
    "manager",
    "other_manager",
    "participant",
    "non_participant",
    "other_participant",
    "other_member",
    "anonymous",
)
ORGANISERS = {"staff", "manager"}


@pytest.fixture
def other_participant(club: Network, speed_event: Event) -> Any:
    """A member of `club` registered to another speed evening of `club`, not to this one."""
    from tests.factories import UserFactory

    other = Event.objects.get(pk=speed_event.pk)
    other.pk = None
    other.title = "Rendez-vous express d'automne"
    other.save()
    user: Any = UserFactory(email="ailleurs@club.example")
    PersonFactory(user=user, first_name="Léa", last_name="Ailleurs", email=user.email)
    MembershipFactory(person=user.person, network=club)
    register(other, user.person, offers="Mon offre d'automne")
    return user


@pytest.fixture
def login(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    def as_role(role: str) -> Client:
        client = Client()
        name = {"participant": "member"}.get(role, role)
        user = None if role == "anonymous" else request.getfixturevalue(name)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return as_role


def expect(role: str, allowed: set[str], response: Any, ok: int = 200) -> None:
    if role in allowed:
        assert response.status_code == ok, (role, response.status_code)
    elif role == "anonymous":
        assert response.status_code in (302, 404), (role, response.status_code)
        if response.status_code == 302:
            assert "/connexion" in response["Location"] or "login" in response["Location"]
    else:
        assert response.status_code == 404, (role, response.status_code)


ORGANISER_GETS = ["speed_manage", "speed_progress", "speed_tables_pdf"]
PARTICIPANT_GETS = ["speed_profile", "speed_agenda", "speed_agenda_pdf", "speed_agenda_ics"]


# Roles are looped inside each test: one computed plan per view keeps the suite fast.


@pytest.mark.parametrize("name", ORGANISER_GETS)
def test_organiser_pages_answer_only_staff_and_the_events_managers(
    name: str, published_plan: RotationPlan, login: Callable[[str], Client]
) -> None:
    for role in ROLES:
        response = login(role).get(reverse(f"events:{name}", args=[published_plan.event_id]))
        expect(role, ORGANISERS, response)


@pytest.mark.parametrize("name", PARTICIPANT_GETS)
def test_participant_pages_answer_only_the_participant(
    name: str, published_plan: RotationPlan, login: Callable[[str], Client]
) -> None:
    for role in ROLES:
        response = login(role).get(reverse(f"events:{name}", args=[published_plan.event_id]))
        expect(role, {"participant"}, response)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("speed_generate", {}),
        ("speed_publish", {}),
        ("speed_lock", {"round_no": 1, "table_no": 1, "locked": "on"}),
        ("speed_replan", {"from_round": 2}),
    ],
)
def test_organiser_actions_are_refused_to_everyone_else(
    name: str, data: dict[str, Any], published_plan: RotationPlan, login: Callable[[str], Client]
) -> None:
    # Outsiders first: a refused request must change nothing before the organisers act.
    for role in sorted(ROLES, key=lambda r: r in ORGANISERS):
        response = login(role).post(reverse(f"events:{name}", args=[published_plan.event_id]), data)
        expect(role, ORGANISERS, response, ok=302)


def seating(plan: RotationPlan) -> set[tuple[int, int, int, bool]]:
    return set(
        Seat.objects.filter(plan=plan).values_list("round_no", "table_no", "registration_id", "locked")
    )


def test_a_swap_is_for_the_organisers_only_and_a_refused_one_changes_nothing(
    published_plan: RotationPlan, speed_people: list[Registration], login: Callable[[str], Client]
) -> None:
    mine = Seat.objects.get(plan=published_plan, round_no=1, registration=speed_people[0])
    colleagues = [speed_people[1].pk, speed_people[2].pk]  # moving one of them could seat both together
    elsewhere = (
        Seat.objects.filter(plan=published_plan, round_no=1)
        .exclude(table_no=mine.table_no)
        .exclude(registration_id__in=colleagues)
        .first()
    )
    assert elsewhere is not None
    data = {"round_no": 1, "first": speed_people[0].pk, "second": elsewhere.registration_id}
    url = reverse("events:speed_swap", args=[published_plan.event_id])
    before = seating(published_plan)
    for role in sorted(ROLES, key=lambda r: r in ORGANISERS):  # outsiders first
        response = login(role).post(url, data)
        expect(role, ORGANISERS, response, ok=302)
        if role not in ORGANISERS:
            assert seating(published_plan) == before, role
    after = Seat.objects.get(plan=published_plan, round_no=1, registration=speed_people[0])
    assert after.locked  # the organisers' swaps went through (and locked the new tables)


def test_a_swap_with_guessed_ids_answers_404_and_changes_nothing(
    published_plan: RotationPlan,
    speed_people: list[Registration],
    foreign_registration: Registration,
    login: Callable[[str], Client],
) -> None:
    client = login("manager")
    before = seating(published_plan)
    url = reverse("events:speed_swap", args=[published_plan.event_id])
    for first, second in [(speed_people[0].pk, 999999), (foreign_registration.pk, speed_people[1].pk)]:
        assert client.post(url, {"round_no": 1, "first": first, "second": second}).status_code == 404
    # the other evening's address, with this evening's people: its manager is not ours
    other_url = reverse("events:speed_swap", args=[foreign_registration.event_id])
    data = {"round_no": 1, "first": speed_people[0].pk, "second": speed_people[1].pk}
    assert client.post(other_url, data).status_code == 404
    assert client.post(reverse("events:speed_swap", args=[999999]), data).status_code == 404
    assert seating(published_plan) == before


def test_the_profile_form_is_saved_by_the_participant_only(
    speed_event: Event, speed_people: list[Registration], login: Callable[[str], Client]
) -> None:
    url = reverse("events:speed_profile", args=[speed_event.pk])
    for role in sorted(ROLES, key=lambda r: r == "participant"):  # the participant last
        data = {"offers": f"Offre de {role}", "seeks": "Des clients", "wishes": [speed_people[3].pk]}
        response = login(role).post(url, data)
        expect(role, {"participant"}, response, ok=302)
        written = Registration.objects.filter(offers=f"Offre de {role}")
        assert list(written.values_list("pk", flat=True)) == (
            [speed_people[0].pk] if role == "participant" else []
        )
    assert list(Registration.objects.get(pk=speed_people[0].pk).wishes.all()) == [speed_people[3]]


def test_the_profile_form_refuses_guessed_ids_of_another_event(
    speed_event: Event,
    speed_people: list[Registration],
    foreign_registration: Registration,
    login: Callable[[str], Client],
    member: Any,
) -> None:
    client = login("participant")
    url = reverse("events:speed_profile", args=[speed_event.pk])
    for field in ("wishes", "avoids"):
        response = client.post(url, {"offers": "x", "seeks": "y", field: [foreign_registration.pk]})
        assert response.status_code == 400 and field in response.context["form"].errors
    assert not Registration.objects.get(pk=speed_people[0].pk).avoids.exists()
    # the other evening's address: the participant is not registered there
    other = reverse("events:speed_profile", args=[foreign_registration.event_id])
    assert client.post(other, {"offers": "x", "seeks": "y"}).status_code == 404
    assert client.post(reverse("events:speed_profile", args=[999999]), {"offers": "x"}).status_code == 404
    assert Registration.objects.get(pk=foreign_registration.pk).offers != "x"


def test_one_participants_agenda_is_for_the_organisers_only(
    published_plan: RotationPlan, speed_people: list[Registration], login: Callable[[str], Client]
) -> None:
    url = reverse("events:speed_participant_agenda", args=[published_plan.event_id, speed_people[2].pk])
    for role in ROLES:
        expect(role, ORGANISERS, login(role).get(url))


def test_a_participant_cannot_open_another_participants_agenda(
    published_plan: RotationPlan, speed_people: list[Registration], login: Callable[[str], Client]
) -> None:
    client = login("participant")
    for reg in speed_people[1:3]:
        url = reverse("events:speed_participant_agenda", args=[published_plan.event_id, reg.pk])
        assert client.get(url).status_code == 404


@pytest.fixture
def foreign_registration(other_club: Network, speed_event: Event) -> Registration:
    other = Event.objects.get(pk=speed_event.pk)
    other.pk = None
    other.network = other_club
    other.title = "Autre soirée"
    other.save()
    return register(other, PersonFactory())


def test_registration_ids_of_another_event_answer_404(
    published_plan: RotationPlan,
    speed_people: list[Registration],
    foreign_registration: Registration,
    login: Callable[[str], Client],
) -> None:
    client = login("manager")
    event_id = published_plan.event_id
    url = reverse("events:speed_participant_agenda", args=[event_id, foreign_registration.pk])
    assert client.get(url).status_code == 404
    swap = client.post(
        reverse("events:speed_swap", args=[event_id]),
        {"round_no": 1, "first": speed_people[0].pk, "second": foreign_registration.pk},
    )
    assert swap.status_code == 404
    # and the other event's organiser pages are not reachable through this event's manager
    assert client.get(reverse("events:speed_manage", args=[foreign_registration.event_id])).status_code == 404


def test_a_participant_sees_their_agenda_with_partners_public_profile_and_reasons(
    published_plan: RotationPlan, speed_people: list[Registration], login: Callable[[str], Client]
) -> None:
    response = login("participant").get(reverse("events:speed_agenda", args=[published_plan.event_id]))
    html = response.content.decode()
    partners = Seat.objects.filter(
        plan=published_plan,
        round_no=1,
        table_no=Seat.objects.get(plan=published_plan, round_no=1, registration=speed_people[0]).table_no,
    ).exclude(registration=speed_people[0])
    for seat in partners:
        assert seat.registration.person.full_name in html
        assert seat.registration.offers in html
    assert "Tour 3" in html
    # never a partner's "seeks" shown as their public profile
    assert "Propose :" in html


def test_the_agenda_pdf_and_ics_are_documents(
    published_plan: RotationPlan, login: Callable[[str], Client]
) -> None:
    client = login("participant")
    pdf = client.get(reverse("events:speed_agenda_pdf", args=[published_plan.event_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ics = client.get(reverse("events:speed_agenda_ics", args=[published_plan.event_id]))
    cal = Calendar.from_ical(ics.content)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 3
    assert "Tour 1" in str(events[0]["SUMMARY"])


def test_the_table_plan_pdf_prints_accents(
    published_plan: RotationPlan, login: Callable[[str], Client]
) -> None:
    response = login("manager").get(reverse("events:speed_tables_pdf", args=[published_plan.event_id]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"DejaVu" in response.content  # the Unicode font is embedded


def test_the_organiser_configures_computes_and_publishes_through_the_pages(
    speed_event: Event,
    speed_people: list[Registration],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login("manager")
    manage = reverse("events:speed_manage", args=[speed_event.pk])
    fmt = {"table_size": 2, "rounds": 3, "round_minutes": 8, "break_minutes": 2, "first_table": 1}
    assert client.post(manage, fmt).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:speed_generate", args=[speed_event.pk]))
    assert response["Location"] == reverse("events:speed_progress", args=[speed_event.pk])
    progress = client.get(response["Location"])
    assert "Prêt à publier" in progress.content.decode()
    page = client.get(manage).content.decode()
    assert "Qualité du plan" in page and "Personne la moins bien servie" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:speed_publish", args=[speed_event.pk]))
    assert RotationPlan.objects.get(event=speed_event).status == PlanStatus.PUBLISHED
    assert len(mail.outbox) == 6


def test_a_bad_format_is_shown_beside_its_field(speed_event: Event, login: Callable[[str], Client]) -> None:
    manage = reverse("events:speed_manage", args=[speed_event.pk])
    response = login("manager").post(
        manage, {"table_size": 1, "rounds": 0, "round_minutes": 8, "break_minutes": 2, "first_table": 1}
    )
    assert response.status_code == 400
    assert "table_size" in response.context["form"].errors and "rounds" in response.context["form"].errors
    response = login("manager").post(manage, {"table_size": "deux"})
    assert response.status_code == 400


def test_generating_with_too_few_people_says_why(speed_event: Event, login: Callable[[str], Client]) -> None:
    client = login("manager")
    manage = reverse("events:speed_manage", args=[speed_event.pk])
    client.post(
        manage, {"table_size": 2, "rounds": 3, "round_minutes": 8, "break_minutes": 2, "first_table": 1}
    )
    response = client.post(reverse("events:speed_generate", args=[speed_event.pk]), follow=True)
    assert "au moins 2 participants" in response.content.decode()


def test_a_participant_fills_their_profile_and_cannot_both_wish_and_avoid(
    speed_event: Event, speed_people: list[Registration], login: Callable[[str], Client]
) -> None:
    client = login("participant")
    url = reverse("events:speed_profile", args=[speed_event.pk])
    other = speed_people[3]
    bad = client.post(url, {"offers": "x", "seeks": "y", "wishes": [other.pk], "avoids": [other.pk]})
    assert bad.status_code == 400 and "avoids" in bad.context["form"].errors
    foreign = client.post(url, {"offers": "x", "seeks": "y", "wishes": [999999]})
    assert foreign.status_code == 400 and "wishes" in foreign.context["form"].errors
    ok = client.post(url, {"offers": "Conseil en gestion", "seeks": "Des artisans", "wishes": [other.pk]})
    assert ok.status_code == 302
    mine = Registration.objects.get(pk=speed_people[0].pk)
    assert mine.offers == "Conseil en gestion" and list(mine.wishes.all()) == [other]


def test_the_profile_is_prefilled_from_the_person_record(
    speed_event: Event, member: Any, login: Callable[[str], Client]
) -> None:
    member.person.offers = "Formation au management"
    member.person.save()
    register(speed_event, member.person, offers="", seeks="")
    response = login("participant").get(reverse("events:speed_profile", args=[speed_event.pk]))
    assert "Formation au management" in response.content.decode()


def test_the_event_page_links_to_the_speed_pages(
    published_plan: RotationPlan, login: Callable[[str], Client]
) -> None:
    page = login("participant").get(reverse("events:detail", args=[published_plan.event_id])).content.decode()
    assert reverse("events:speed_agenda", args=[published_plan.event_id]) in page
    manage = f'href="{reverse("events:speed_manage", args=[published_plan.event_id])}"'
    assert manage not in page
    page = login("manager").get(reverse("events:detail", args=[published_plan.event_id])).content.decode()
    assert manage in page


def test_lock_swap_and_replan_through_the_pages(
    published_plan: RotationPlan,
    speed_people: list[Registration],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login("manager")
    event_id = published_plan.event_id
    seat = Seat.objects.get(plan=published_plan, round_no=2, registration=speed_people[0])
    client.post(
        reverse("events:speed_lock", args=[event_id]),
        {"round_no": 2, "table_no": seat.table_no, "locked": "on"},
    )
    assert Seat.objects.get(pk=seat.pk).locked
    bad = client.post(reverse("events:speed_lock", args=[event_id]), {"round_no": "x"}, follow=True)
    assert "invalide" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:speed_replan", args=[event_id]), {"from_round": 2}, follow=True
        )
    assert "re-planifiés" in response.content.decode()
    response = client.post(reverse("events:speed_replan", args=[event_id]), {"from_round": 9}, follow=True)
    assert "entre 1 et 3" in response.content.decode()


def test_a_non_speed_event_has_no_speed_pages(club: Network, login: Callable[[str], Client]) -> None:
    import datetime as dt

    from django.utils import timezone

    start = timezone.now() + dt.timedelta(days=3)
    event = Event.objects.create(
        network=club, title="Dîner", kind="meeting", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    assert login("manager").get(reverse("events:speed_manage", args=[event.pk])).status_code == 404


def test_the_progress_page_refreshes_itself_while_the_plan_is_computed(
    speed_event: Event, speed_people: list[Registration], login: Callable[[str], Client]
) -> None:
    from meute.events.speed import services as speed_services

    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=3, round_minutes=8, break_minutes=2
    )
    speed_services.plan_generate(plan=plan)  # no commit in this test: the task is queued, not run
    RotationPlan.objects.filter(pk=plan.pk).update(progress=40)
    html = login("manager").get(reverse("events:speed_progress", args=[speed_event.pk])).content.decode()
    assert 'http-equiv="refresh"' in html and 'value="40"' in html
    again = login("manager").post(reverse("events:speed_generate", args=[speed_event.pk]), follow=True)
    assert "déjà en cours" in again.content.decode()


def test_probable_competitors_are_flagged_to_the_organiser_never_to_the_participants(
    speed_event: Event,
    speed_people: list[Registration],
    login: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from meute.events.speed import services as speed_services
    from meute.reference.models import NafCode
    from tests.factories import OrganisationFactory

    plumbing = NafCode.objects.get(code="43.22A")  # reference data, loaded by the migrations
    for k, reg in enumerate(speed_people):
        if k in (1, 2):  # the colleagues keep their shared company
            reg.person.organisation.naf = plumbing
            reg.person.organisation.save()
        else:
            reg.person.organisation = OrganisationFactory(name=f"Plomberie {k}", naf=plumbing)
            reg.person.save()
    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=3, round_minutes=8, break_minutes=2
    )
    with django_capture_on_commit_callbacks(execute=True):
        speed_services.plan_generate(plan=plan)
    with django_capture_on_commit_callbacks(execute=True):
        speed_services.plan_publish(plan=RotationPlan.objects.get(pk=plan.pk))

    organiser = login("manager").get(reverse("events:speed_manage", args=[speed_event.pk])).content.decode()
    assert "À savoir (visible de vous seul) :" in organiser
    assert (
        "Travaux d&#x27;installation d&#x27;eau et de gaz en tous locaux) : concurrents probables"
        in organiser
    )
    agenda = login("participant").get(reverse("events:speed_agenda", args=[speed_event.pk])).content.decode()
    assert "concurrent" not in agenda and "43.22A" not in agenda


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"rounds": 70000}, "rounds"),
        ({"first_table": 2**64}, "first_table"),
        ({"table_size": 4, "rounds": 5000}, "rounds"),
        ({"table_size": 10**30}, "table_size"),
        ({"break_minutes": -1}, "break_minutes"),
    ],
)
def test_a_format_beyond_what_an_evening_holds_is_refused_by_name(
    speed_event: Event, login: Callable[[str], Client], values: dict[str, int], field: str
) -> None:
    # rounds=70000 was a PostgreSQL smallint error (500), first_table=2**64 a 500 on both databases.
    data = {"table_size": 2, "rounds": 3, "round_minutes": 8, "break_minutes": 2, "first_table": 1} | values
    response = login("manager").post(reverse("events:speed_manage", args=[speed_event.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not RotationPlan.objects.filter(event=speed_event).exclude(rounds__lte=60).exists()


@pytest.mark.parametrize("url", ["events:speed_lock", "events:speed_swap", "events:speed_replan"])
def test_hand_changes_with_huge_numbers_are_refused_without_an_error_page(
    speed_event: Event, login: Callable[[str], Client], url: str
) -> None:
    client = login("manager")
    fmt = {"table_size": 2, "rounds": 3, "round_minutes": 8, "break_minutes": 2, "first_table": 1}
    client.post(reverse("events:speed_manage", args=[speed_event.pk]), fmt)
    huge = str(2**64)
    data = {"round_no": huge, "table_no": huge, "first": huge, "second": huge, "from_round": huge}
    response = client.post(reverse(url, args=[speed_event.pk]), data)
    assert response.status_code == 302  # back to the page with a message, not a 500


def test_names_and_titles_with_control_characters_still_make_documents(
    published_plan: RotationPlan, speed_people: list[Registration], login: Callable[[str], Client]
) -> None:
    Event.objects.filter(pk=published_plan.event_id).update(title="Soirée\rMETHOD:CANCEL\x1b")
    person = speed_people[0].person
    person.last_name = "Moreau\r\n\x1b[31m"
    person.save()
    manager, participant = login("manager"), login("participant")
    for client, name in [(manager, "speed_tables_pdf"), (participant, "speed_agenda_pdf")]:
        response = client.get(reverse(f"events:{name}", args=[published_plan.event_id]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    ics = participant.get(reverse("events:speed_agenda_ics", args=[published_plan.event_id])).content
    assert b"\r" not in ics.replace(b"\r\n", b"") and b"\x1b" not in ics
    assert not any(line.startswith(b"METHOD:") for line in ics.split(b"\r\n"))


@pytest.mark.parametrize("field", ["offers", "seeks"])
def test_a_profile_of_more_than_2000_characters_is_refused_by_name(
    speed_event: Event, speed_people: list[Registration], login: Callable[[str], Client], field: str
) -> None:
    # "offers" took 2.4 MB; the business-day profile already stopped at 2,000 characters.
    url = reverse("events:speed_profile", args=[speed_event.pk])
    data = {"offers": "x", "seeks": "y"} | {field: "comptable " * 240_000}
    response = login("participant").post(url, data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Registration.objects.filter(**{f"{field}__startswith": "comptable comptable"}).exists()
