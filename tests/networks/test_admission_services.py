"""Admissions as services: modes, sponsors, waiting list, seat offers, one seat per profession, charter, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from meute.audit.models import AuditEntry
from meute.networks.models import AdmissionMode, Membership, Network, Role, Status
from meute.networks.selectors import waitlist, waitlist_position
from meute.networks.services import admissions, memberships, pages, professions, seats
from meute.reference.models import NafCode
from tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("neighbour")]

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _board(network: Network) -> object:
    user = UserFactory()
    MembershipFactory(person=PersonFactory(user=user), network=network, role=Role.PRESIDENT)
    return user


def _full_network(cap: int = 2, mode: str = AdmissionMode.OPEN) -> Network:
    network = NetworkFactory(member_cap=cap, admission_mode=mode)
    MembershipFactory.create_batch(cap, network=network)
    return network


def _active(network: Network) -> int:
    return Membership.objects.filter(network=network, status=Status.ACTIVE).count()


# On application


def test_the_board_approves_an_application_and_the_applicant_becomes_active() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.APPLICATION, member_cap=5)
    actor = _board(network)
    applied = admissions.membership_request(person=PersonFactory(), network=network)
    done = admissions.membership_approve(membership=applied, actor=actor, now=NOW)
    assert done.status == Status.ACTIVE and done.start_date == NOW.date()
    entry = AuditEntry.objects.get(action="membership.approve")
    assert (entry.actor, entry.network, entry.target_id) == (actor, network, done.pk)


def test_approving_when_full_puts_the_applicant_at_the_end_of_the_waiting_list() -> None:
    network = _full_network(cap=1, mode=AdmissionMode.APPLICATION)
    actor = _board(network)  # the president is a second active member: over a cap lowered since
    first = admissions.membership_request(person=PersonFactory(), network=network)
    second = admissions.membership_request(person=PersonFactory(), network=network)
    admissions.membership_approve(membership=first, actor=actor)
    done = admissions.membership_approve(membership=second, actor=actor)
    assert done.status == Status.WAITLISTED
    assert [m.pk for m in waitlist(network)] == [first.pk, second.pk]
    assert waitlist_position(done) == 2


def test_refusing_needs_a_reason_that_the_applicant_sees() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.APPLICATION)
    actor = _board(network)
    applied = admissions.membership_request(person=PersonFactory(), network=network)
    with pytest.raises(ValidationError) as exc:
        admissions.membership_refuse(membership=applied, actor=actor, reason="  ")
    assert "reason" in exc.value.message_dict
    done = admissions.membership_refuse(membership=applied, actor=actor, reason="Métier déjà représenté")
    assert (done.status, done.reason) == (Status.REFUSED, "Métier déjà représenté")
    assert AuditEntry.objects.filter(action="membership.refuse", network=network).count() == 1


def test_a_decided_application_cannot_be_decided_again() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.APPLICATION)
    actor = _board(network)
    applied = admissions.membership_request(person=PersonFactory(), network=network)
    admissions.membership_approve(membership=applied, actor=actor)
    with pytest.raises(ValidationError, match="n'attend plus"):
        admissions.membership_approve(membership=applied, actor=actor)


# By co-optation


def test_a_cooptation_needs_the_sponsor_to_confirm_before_the_board_decides() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    actor = _board(network)
    sponsor = MembershipFactory(network=network).person
    applied = admissions.membership_request(
        person=PersonFactory(), network=network, sponsor_email=sponsor.email
    )
    with pytest.raises(ValidationError, match="pas encore confirmé"):
        admissions.membership_approve(membership=applied, actor=actor)
    admissions.membership_sponsor_answer(membership=applied, sponsor=sponsor, confirm=True)
    assert admissions.membership_approve(membership=applied, actor=actor).status == Status.ACTIVE


@pytest.mark.parametrize("who", ["former", "other_network", "unknown", "pending"])
def test_an_address_that_is_no_active_members_is_dropped_and_the_application_waits_for_a_sponsor(
    who: str,
) -> None:
    # The applicant is answered the same whoever the address belongs to: no membership oracle.
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    actor = _board(network)
    email = {
        "former": lambda: MembershipFactory(network=network, status=Status.LEFT).person.email,
        "other_network": lambda: MembershipFactory().person.email,
        "unknown": lambda: "personne@nulle-part.example",
        "pending": lambda: (
            MembershipFactory(network=network, status=Status.APPLIED, start_date=None).person.email
        ),
    }[who]()
    applied = admissions.membership_request(person=PersonFactory(), network=network, sponsor_email=email)
    assert (applied.status, applied.sponsor, applied.sponsor_confirmed_at) == (Status.APPLIED, None, None)
    with pytest.raises(ValidationError, match="doit être parrainée"):
        admissions.membership_approve(membership=applied, actor=actor)


def test_the_sponsor_is_found_by_either_of_their_addresses_whatever_the_case() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    user = UserFactory(email="compte@exemple.fr")
    sponsor = PersonFactory(user=user, email="fiche@exemple.fr")
    MembershipFactory(network=network, person=sponsor)
    for typed in ("FICHE@exemple.fr", " compte@exemple.fr "):
        applied = admissions.membership_request(person=PersonFactory(), network=network, sponsor_email=typed)
        assert applied.sponsor == sponsor and applied.sponsor_confirmed_at is None


def test_naming_oneself_as_sponsor_is_refused_naming_the_field() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    person = PersonFactory(email="moi@exemple.fr")
    with pytest.raises(ValidationError) as exc:
        admissions.membership_request(person=person, network=network, sponsor_email="MOI@exemple.fr")
    assert "sponsor_email" in exc.value.message_dict
    assert not Membership.objects.filter(person=person).exists()


def test_a_sponsor_who_declines_refuses_the_application_with_their_reason() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    sponsor = MembershipFactory(network=network).person
    applied = admissions.membership_request(
        person=PersonFactory(), network=network, sponsor_email=sponsor.email
    )
    with pytest.raises(ValidationError):
        admissions.membership_sponsor_answer(membership=applied, sponsor=sponsor, confirm=False, reason="")
    done = admissions.membership_sponsor_answer(
        membership=applied, sponsor=sponsor, confirm=False, reason="Je ne connais pas assez"
    )
    assert (done.status, done.reason) == (Status.REFUSED, "Je ne connais pas assez")


def test_only_the_named_sponsor_may_answer() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    sponsor = MembershipFactory(network=network).person
    intruder = MembershipFactory(network=network).person
    applied = admissions.membership_request(
        person=PersonFactory(), network=network, sponsor_email=sponsor.email
    )
    with pytest.raises(ValidationError):
        admissions.membership_sponsor_answer(membership=applied, sponsor=intruder, confirm=True)


def test_a_member_proposes_someone_who_applies_from_the_invitation_with_a_confirmed_sponsorship() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    actor = _board(network)
    sponsor = MembershipFactory(network=network).person
    invitee = PersonFactory(email="invitee@exemple.fr")
    proposal = admissions.membership_propose(sponsor=sponsor, email="Invitee@exemple.fr", network=network)
    assert not Membership.objects.filter(person=invitee).exists()  # nothing filed in their name
    assert AuditEntry.objects.filter(action="membership.propose").exists()
    applied = admissions.membership_request(person=invitee, network=network, invitation=proposal)
    assert applied.sponsor == sponsor and applied.sponsor_confirmed_at is not None
    assert admissions.membership_approve(membership=applied, actor=actor).status == Status.ACTIVE


# Waiting list and seat offers


def test_a_departure_offers_the_seat_to_the_first_in_line_and_emails_them(
    django_capture_on_commit_callbacks: object,
) -> None:
    network = _full_network(cap=2)
    first = admissions.membership_request(person=PersonFactory(email="premier@exemple.fr"), network=network)
    second = admissions.membership_request(person=PersonFactory(), network=network)
    leaving = Membership.objects.filter(network=network, status=Status.ACTIVE).first()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        memberships.membership_leave(membership=leaving, actor=None, now=NOW)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.offered_at == NOW and first.offer_expires_at == NOW + dt.timedelta(days=7)
    assert second.offer_expires_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["premier@exemple.fr"]
    assert "Une place se libère" in mail.outbox[0].subject
    assert mail.outbox[0].content_subtype == "plain"
    assert "Mes candidatures" in mail.outbox[0].body


def test_an_offered_seat_is_reserved_so_a_newcomer_is_waitlisted() -> None:
    network = _full_network(cap=1)
    waiting = admissions.membership_request(person=PersonFactory(), network=network)
    memberships.membership_leave(membership=network.memberships.get(status=Status.ACTIVE), actor=None)
    newcomer = admissions.membership_request(person=PersonFactory(), network=network)
    assert newcomer.status == Status.WAITLISTED
    accepted = seats.seat_offer_accept(membership=waiting, person=waiting.person)
    assert accepted.status == Status.ACTIVE
    assert _active(network) == 1


def test_accepting_makes_the_person_active_and_declining_offers_the_seat_to_the_next() -> None:
    network = _full_network(cap=1)
    first = admissions.membership_request(person=PersonFactory(), network=network)
    second = admissions.membership_request(person=PersonFactory(), network=network)
    memberships.membership_leave(
        membership=network.memberships.get(status=Status.ACTIVE), actor=None, now=NOW
    )
    seats.seat_offer_decline(membership=first, person=first.person, now=NOW)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.DECLINED
    assert second.offer_expires_at is not None
    with pytest.raises(ValidationError):
        seats.seat_offer_accept(membership=first, person=first.person, now=NOW)
    assert seats.seat_offer_accept(membership=second, person=second.person, now=NOW).status == Status.ACTIVE


def test_someone_else_cannot_accept_your_seat() -> None:
    network = _full_network(cap=1)
    first = admissions.membership_request(person=PersonFactory(), network=network)
    memberships.membership_leave(membership=network.memberships.get(status=Status.ACTIVE), actor=None)
    with pytest.raises(ValidationError):
        seats.seat_offer_accept(membership=first, person=PersonFactory())


def test_an_expired_offer_goes_to_the_next_lazily_and_by_the_command() -> None:
    network = _full_network(cap=1)
    first = admissions.membership_request(person=PersonFactory(), network=network)
    second = admissions.membership_request(person=PersonFactory(), network=network)
    memberships.membership_leave(
        membership=network.memberships.get(status=Status.ACTIVE), actor=None, now=NOW
    )
    later = NOW + dt.timedelta(days=8)
    # Lazily: accepting after the deadline fails, and the seat goes to the next.
    with pytest.raises(ValidationError, match="expiré"):
        seats.seat_offer_accept(membership=first, person=first.person, now=later)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.DECLINED and second.offered_at == later
    # By the command: the second offer expires too, nobody is left in line.
    call_command("expire_seat_offers", now=(later + dt.timedelta(days=8)).isoformat())
    second.refresh_from_db()
    assert second.status == Status.DECLINED
    assert AuditEntry.objects.filter(action="membership.offer_expire", network=network).count() == 2


def test_the_manager_reorders_the_waiting_list() -> None:
    network = _full_network(cap=1)
    actor = _board(network)
    first = admissions.membership_request(person=PersonFactory(), network=network)
    second = admissions.membership_request(person=PersonFactory(), network=network)
    seats.waitlist_move(membership=second, actor=actor, up=True)
    assert [m.pk for m in waitlist(network)] == [second.pk, first.pk]
    with pytest.raises(ValidationError):
        seats.waitlist_move(membership=second, actor=actor, up=True)
    assert AuditEntry.objects.filter(action="membership.waitlist_move").count() == 1


def test_raising_the_cap_offers_the_new_seats() -> None:
    network = _full_network(cap=1)
    waiting = admissions.membership_request(person=PersonFactory(), network=network)
    pages.network_update(network=network, data={"member_cap": 3})
    waiting.refresh_from_db()
    assert waiting.offer_expires_at is not None


# Members


def test_a_manager_marks_a_member_as_left_on_a_date_not_before_they_joined() -> None:
    network = NetworkFactory()
    actor = _board(network)
    m = MembershipFactory(network=network, start_date=dt.date(2025, 1, 15))
    with pytest.raises(ValidationError) as exc:
        memberships.membership_leave(membership=m, actor=actor, end_date=dt.date(2024, 12, 31))
    assert "end_date" in exc.value.message_dict
    done = memberships.membership_leave(membership=m, actor=actor, end_date=dt.date(2026, 1, 31))
    assert (done.status, done.end_date) == (Status.LEFT, dt.date(2026, 1, 31))


def test_a_departure_is_noted_on_the_day_not_ahead() -> None:
    network = NetworkFactory()
    actor = _board(network)
    m = MembershipFactory(network=network, start_date=dt.date(2025, 1, 15))
    with pytest.raises(ValidationError) as exc:
        memberships.membership_leave(membership=m, actor=actor, end_date=dt.date(2026, 3, 5), now=NOW)
    assert "end_date" in exc.value.message_dict
    m.refresh_from_db()
    assert m.status == Status.ACTIVE


def test_the_last_board_member_cannot_be_marked_as_left() -> None:
    network = NetworkFactory()
    actor = _board(network)
    president = network.memberships.get(role=Role.PRESIDENT)
    with pytest.raises(ValidationError, match="plus personne pour le gérer"):
        memberships.membership_leave(membership=president, actor=actor, now=NOW)
    president.refresh_from_db()
    assert president.status == Status.ACTIVE
    MembershipFactory(network=network, role=Role.BOARD)  # with another board member, they may go
    assert memberships.membership_leave(membership=president, actor=actor, now=NOW).status == Status.LEFT


def test_a_manager_changes_a_role_but_the_last_board_member_keeps_theirs() -> None:
    network = NetworkFactory()
    actor = _board(network)
    m = MembershipFactory(network=network)
    assert memberships.membership_set_role(membership=m, actor=actor, role=Role.BOARD).role == Role.BOARD
    president = network.memberships.get(role=Role.PRESIDENT)
    memberships.membership_set_role(membership=m, actor=actor, role=Role.MEMBER)
    with pytest.raises(ValidationError) as exc:
        memberships.membership_set_role(membership=president, actor=actor, role=Role.MEMBER)
    assert "role" in exc.value.message_dict
    entry = AuditEntry.objects.filter(action="membership.role").first()
    assert entry is not None and entry.details == {"from": "board", "to": "member"}


# One seat per profession and charter


def test_a_profession_already_seated_is_refused_and_a_free_one_is_admitted() -> None:
    naf = NafCode.objects.get(code="43.22A")
    other = NafCode.objects.get(code="69.20Z")
    network = NetworkFactory(one_seat_per_profession=True)
    MembershipFactory(network=network, person=PersonFactory(organisation=OrganisationFactory(naf=naf)))
    with pytest.raises(professions.ProfessionTaken):
        admissions.membership_request(
            person=PersonFactory(organisation=OrganisationFactory(naf=naf)), network=network
        )
    ok = admissions.membership_request(
        person=PersonFactory(organisation=OrganisationFactory(naf=other)), network=network
    )
    assert ok.status == Status.ACTIVE


def test_without_naf_the_declared_trade_is_the_profession() -> None:
    network = NetworkFactory(one_seat_per_profession=True)
    MembershipFactory(network=network, person=PersonFactory(organisation=None, trade="Plombier"))
    with pytest.raises(professions.ProfessionTaken):
        admissions.membership_request(
            person=PersonFactory(organisation=None, trade=" plombier "), network=network
        )


def test_the_charter_is_accepted_on_joining_with_its_version_and_date() -> None:
    network = NetworkFactory(charter="Bienveillance.", charter_version="v2")
    with pytest.raises(ValidationError) as exc:
        admissions.membership_request(person=PersonFactory(), network=network)
    assert "accept_charter" in exc.value.message_dict
    m = admissions.membership_request(person=PersonFactory(), network=network, charter_accepted=True, now=NOW)
    assert (m.charter_version, m.charter_accepted_at) == ("v2", NOW)


def test_the_audit_trail_keeps_a_network_edit() -> None:
    network = NetworkFactory()
    actor = _board(network)
    pages.network_update(network=network, data={"tagline": "Nouveau"}, actor=actor)
    entry = AuditEntry.objects.get(action="network.update")
    assert entry.actor == actor and "tagline" in entry.details


def test_nothing_happens_at_the_deadline_for_offers_still_running() -> None:
    assert seats.seat_offers_expire(now=timezone.now()) == 0
