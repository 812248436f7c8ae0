"""Taking attendance, the at-risk list, a member's own record, and following up visitors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.attendance.models import AttendanceRecord, AttendanceRule, Visitor
from meute.audit.models import AuditEntry
from meute.networks.models import Network
from tests.dues.conftest import make_event
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]


def test_the_register_lists_every_active_member_and_saves_in_one_go(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    event = make_event(club)
    client = client_for("manager")
    page = client.get(reverse("attendance:take", args=[club.slug, event.pk])).content.decode()
    assert "Claire Moreau" in page and "Marc Lenoir" in page
    response = client.post(
        reverse("attendance:take", args=[club.slug, event.pk]),
        {
            f"status_{manager.person.pk}": "present",
            f"status_{member.person.pk}": "substitute",
            f"substitute_{member.person.pk}": "Julie Moreau",
        },
    )
    assert response.status_code == 302
    records = {r.person_id: r for r in AttendanceRecord.objects.all()}
    assert records[manager.person.pk].status == "present"
    assert (records[member.person.pk].status, records[member.person.pk].substitute_name) == (
        "substitute",
        "Julie Moreau",
    )
    assert records[member.person.pk].recorded_by == manager
    entry = AuditEntry.objects.get(action="attendance.take")
    assert (entry.network, entry.target_id, entry.details["present"]) == (club, event.pk, 1)


def test_taking_attendance_again_updates_the_records(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    event = make_event(club)
    AttendanceRecord.objects.create(event=event, person=member.person, status="absent")
    client = client_for("manager")
    form = client.get(reverse("attendance:take", args=[club.slug, event.pk])).context["form"]
    assert form[f"status_{member.person.pk}"].initial == "absent"
    client.post(
        reverse("attendance:take", args=[club.slug, event.pk]),
        {f"status_{manager.person.pk}": "present", f"status_{member.person.pk}": "excused"},
    )
    assert AttendanceRecord.objects.get(person=member.person).status == "excused"
    assert AttendanceRecord.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field_of", "message"),
    [
        ({"m": "substitute"}, "substitute", "indiquez le nom du remplaçant"),
        ({"m": "visiting"}, "status", "Sélectionnez un choix valide"),
        ({}, "status", "choisissez une présence pour ce membre"),
    ],
)
def test_a_bad_register_is_refused_whole_naming_the_member(
    client_for: ClientFor, club: Network, manager: User, member: User, data: dict, field_of: str, message: str
) -> None:
    event = make_event(club)
    payload = {f"status_{manager.person.pk}": "present"}
    if "m" in data:
        payload[f"status_{member.person.pk}"] = data["m"]
    response = client_for("manager").post(reverse("attendance:take", args=[club.slug, event.pk]), payload)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"{field_of}_{member.person.pk}"]
    assert any(message in e for e in errors)
    assert not AttendanceRecord.objects.exists()


def test_the_at_risk_page_sorts_by_unexcused_absences(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    AttendanceRule.objects.create(network=club, max_unexcused=1, window_months=6)
    for days in (10, 20):
        AttendanceRecord.objects.create(
            event=make_event(club, days=-days), person=member.person, status="absent"
        )
    AttendanceRecord.objects.create(event=make_event(club, days=-30), person=manager.person, status="absent")
    # Outside the six-month window: does not count.
    AttendanceRecord.objects.create(event=make_event(club, days=-400), person=manager.person, status="absent")
    response = client_for("manager").get(reverse("attendance:at_risk", args=[club.slug]))
    tallies = response.context["tallies"]
    assert [(t.person.last_name, t.absent, t.over_limit, t.at_limit) for t in tallies] == [
        ("Moreau", 2, True, True),
        ("Lenoir", 1, False, True),
    ]
    assert "Règle dépassée" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"max_unexcused": "-1", "window_months": "6"}, "max_unexcused"),
        ({"max_unexcused": "3", "window_months": "0"}, "window_months"),
    ],
)
def test_the_rule_form_refuses_bad_values(
    client_for: ClientFor, club: Network, manager: User, data: dict, field: str
) -> None:
    response = client_for("manager").post(reverse("attendance:at_risk", args=[club.slug]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AttendanceRule.objects.exists()


def test_the_rule_is_saved_with_the_audit_trail(client_for: ClientFor, club: Network, manager: User) -> None:
    client_for("manager").post(
        reverse("attendance:at_risk", args=[club.slug]), {"max_unexcused": "2", "window_months": "12"}
    )
    rule = AttendanceRule.objects.get(network=club)
    assert (rule.max_unexcused, rule.window_months) == (2, 12)
    assert AuditEntry.objects.filter(action="attendance.rule_set", network=club, actor=manager).exists()


def test_a_member_sees_their_own_record_and_nobody_elses(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    event = make_event(club, title="Petit-déjeuner de mars")
    AttendanceRecord.objects.create(
        event=event, person=member.person, status="substitute", substitute_name="Julie"
    )
    AttendanceRecord.objects.create(event=event, person=manager.person, status="absent")
    response = client_for("member").get(reverse("attendance:mine", args=[club.slug]))
    page = response.content.decode()
    assert "Petit-déjeuner de mars" in page and "Julie" in page
    assert "Marc Lenoir" not in page
    assert response.context["tally"].substitute == 1
    assert response.context["tally"].absent == 0


def test_a_visitor_is_recorded_and_followed_up(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    event = make_event(club)
    client = client_for("manager")
    response = client.post(
        reverse("attendance:visitors", args=[club.slug]),
        {
            "name": "Jeanne Durand",
            "email": "jeanne@exemple.fr",
            "company": "Durand SARL",
            "invited_by": member.person.pk,
            "event": event.pk,
        },
    )
    assert response.status_code == 302
    visitor = Visitor.objects.get()
    assert (visitor.network, visitor.event, visitor.invited_by, visitor.status) == (
        club,
        event,
        member.person,
        "invited",
    )
    page = client.get(reverse("attendance:visitor", args=[club.slug, visitor.pk])).content.decode()
    assert f"/reseaux/{club.slug}/" in page  # the link to apply
    client.post(
        reverse("attendance:visitor", args=[club.slug, visitor.pk]), {"status": "came", "notes": "Intéressée"}
    )
    visitor.refresh_from_db()
    assert (visitor.status, visitor.notes) == ("came", "Intéressée")
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"visitor.create", "visitor.follow_up"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "Ce champ est obligatoire."),
        ("email", "pas-un-email", "Saisissez une adresse de courriel valide."),
        ("invited_by", "999999", "membre inconnu dans ce réseau"),
        ("event", "999999", "réunion inconnue dans ce réseau"),
    ],
)
def test_the_visitor_form_refuses_bad_input_naming_the_field(
    client_for: ClientFor, club: Network, manager: User, field: str, value: str, message: str
) -> None:
    data = {"name": "Jeanne Durand", field: value}
    response = client_for("manager").post(reverse("attendance:visitors", args=[club.slug]), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Visitor.objects.exists()


def test_a_member_of_another_network_cannot_be_named_as_the_inviter(
    client_for: ClientFor, club: Network, manager: User, other_member: User
) -> None:
    response = client_for("manager").post(
        reverse("attendance:visitors", args=[club.slug]),
        {"name": "Jeanne", "invited_by": other_member.person.pk},
    )
    assert "membre inconnu dans ce réseau" in response.context["form"].errors["invited_by"]


def test_the_follow_up_form_refuses_an_unknown_status(
    client_for: ClientFor, club: Network, manager: User
) -> None:
    visitor = Visitor.objects.create(network=club, name="Jeanne")
    response = client_for("manager").post(
        reverse("attendance:visitor", args=[club.slug, visitor.pk]), {"status": "vip"}
    )
    assert "status" in response.context["form"].errors


def test_meetings_page_shows_the_presence_rate(
    client_for: ClientFor, club: Network, manager: User, member: User
) -> None:
    event = make_event(club)
    AttendanceRecord.objects.create(event=event, person=member.person, status="present")
    AttendanceRecord.objects.create(event=event, person=manager.person, status="absent")
    extra = MembershipFactory(network=club).person
    AttendanceRecord.objects.create(event=event, person=extra, status="substitute", substitute_name="X")
    response = client_for("manager").get(reverse("attendance:meetings", args=[club.slug]))
    assert response.context["figures"]["rate"] == round(100 * 2 / 3)
    row = response.context["meetings"][0]
    assert (row.present, row.absent, row.substituted) == (1, 1, 1)
