"""Seats, the waiting list, departures and refusals, each beside a busy neighbouring network.

Every test runs with `neighbour` (tests/networks/conftest.py) on record: a full network with
its own president, former president, seat offer, waiting list and plumber. A rule that forgot
its network filter, counted a former member, or took the wrong branch fails here; each refusal
is reached with `pytest.raises(ValidationError)` and leaves nothing changed. Audit entries are
checked for their actor, network, target and details.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meute.audit.models import AuditEntry
from meute.networks.models import AdmissionMode, Membership, Network, Role, Status
from meute.networks.selectors import waitlist, waitlist_position
from meute.networks.services import admissions, memberships, pages, professions, seats
from tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("neighbour")]

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _president(network: Network) -> tuple[object, Membership]:
    user = UserFactory()
    m = MembershipFactory(person=PersonFactory(user=user), network=network, role=Role.PRESIDENT)
    return user, m


def _waiting(network: Network, position: int | None, **kwargs: object) -> Membership:
    return MembershipFactory(
        network=network, status=Status.WAITLISTED, start_date=None, queue_position=position, **kwargs
    )


def _entry(action: str, network: Network) -> AuditEntry:
    return AuditEntry.objects.get(action=action, network=network)


def _target(entry: AuditEntry) -> tuple[str, int | None]:
    return (entry.target_type, entry.target_id)


# Seats counted in this network only


def test_an_open_network_with_a_free_seat_admits_though_its_neighbour_is_full(neighbour: Network) -> None:
    network = NetworkFactory(member_cap=2)
    MembershipFactory(network=network)
    assert admissions.membership_request(person=PersonFactory(), network=network).status == Status.ACTIVE
    # the second seat is the last: the next person waits, first in line here (the neighbour's line is its own)
    third = admissions.membership_request(person=PersonFactory(), network=network)
    assert (third.status, third.queue_position) == (Status.WAITLISTED, 1)


def test_seats_taken_are_the_active_members_plus_the_live_offers_of_this_network(neighbour: Network) -> None:
    network = NetworkFactory(member_cap=5)
    MembershipFactory.create_batch(2, network=network)
    _waiting(network, 1, offered_at=NOW, offer_expires_at=NOW + dt.timedelta(days=7))
    _waiting(network, 2)  # waiting without an offer: no seat
    MembershipFactory(network=network, status=Status.LEFT)
    assert seats.seats_taken(network) == 3
    assert seats.seats_taken(neighbour) == 3
    assert seats.has_free_seat(network)
    assert not seats.has_free_seat(neighbour)
    assert seats.next_queue_position(network) == 3
    assert seats.next_queue_position(NetworkFactory()) == 1


def test_a_network_exactly_full_has_no_free_seat_and_one_without_a_cap_always_has() -> None:
    network = NetworkFactory(member_cap=2)
    MembershipFactory.create_batch(2, network=network)
    assert not seats.has_free_seat(network)
    network.member_cap = 3
    assert seats.has_free_seat(network)
    network.member_cap = None
    assert seats.has_free_seat(network)


# Seat offers


def test_a_lowered_cap_with_an_open_seat_offer_refuses_the_late_acceptance() -> None:
    network = NetworkFactory(member_cap=3)
    MembershipFactory.create_batch(2, network=network)
    offered = _waiting(network, 1, offered_at=NOW, offer_expires_at=NOW + dt.timedelta(days=7))
    pages.network_update(network=network, data={"member_cap": 2})
    with pytest.raises(ValidationError, match="complet"):
        seats.seat_offer_accept(membership=offered, person=offered.person, now=NOW)
    offered.refresh_from_db()
    assert offered.status == Status.WAITLISTED
    assert Membership.objects.active().filter(network=network).count() == 2


def test_an_offer_accepted_with_one_seat_left_makes_the_last_member_active() -> None:
    network = NetworkFactory(member_cap=3)
    MembershipFactory.create_batch(2, network=network)
    offered = _waiting(network, 1, offered_at=NOW, offer_expires_at=NOW + dt.timedelta(days=7))
    done = seats.seat_offer_accept(membership=offered, person=offered.person, now=NOW)
    assert (done.status, done.start_date, done.queue_position) == (Status.ACTIVE, NOW.date(), None)
    assert (done.offered_at, done.offer_expires_at, done.decided_at) == (None, None, NOW)
    entry = _entry("membership.offer_accept", network)
    assert entry.actor == offered.person.user
    assert _target(entry) == ("networks.membership", offered.pk)


def test_removing_the_cap_offers_a_seat_to_everyone_waiting(neighbour: Network) -> None:
    network = NetworkFactory(member_cap=1)
    MembershipFactory(network=network)
    first, second = _waiting(network, 1), _waiting(network, 2)
    user, _ = _president(network)
    pages.network_update(network=network, data={"member_cap": None}, actor=user)
    for m in (first, second):
        m.refresh_from_db()
        assert m.offer_expires_at is not None and m.status == Status.WAITLISTED
    offers = AuditEntry.objects.filter(action="membership.offer", network=network).order_by("id")
    assert [e.target_id for e in offers] == [first.pk, second.pk]
    assert all(e.actor is None for e in offers)
    # the neighbour's waiting list is not touched
    assert Membership.objects.filter(network=neighbour, offer_expires_at__isnull=False).count() == 1
    update = _entry("network.update", network)
    assert (update.actor, _target(update), update.details) == (
        user,
        ("networks.network", network.pk),
        {"member_cap": "None"},
    )


def test_an_offer_is_made_for_the_seats_free_only_in_queue_order() -> None:
    network = NetworkFactory(member_cap=3)
    MembershipFactory(network=network)
    third, first, second = _waiting(network, 3), _waiting(network, 1), _waiting(network, 2)
    offered = seats.offer_free_seats(network, NOW)
    assert [m.pk for m in offered] == [first.pk, second.pk]
    third.refresh_from_db()
    assert third.offer_expires_at is None
    entry = AuditEntry.objects.filter(action="membership.offer", network=network).order_by("id").first()
    assert entry is not None and entry.actor is None and entry.target_id == first.pk
    assert entry.details == {"expires_at": (NOW + dt.timedelta(days=seats.SEAT_OFFER_DAYS)).isoformat()}
    # the seats are now all taken or offered: nothing more to offer
    assert seats.offer_free_seats(network, NOW) == []


def test_refusing_someone_who_holds_a_seat_offer_passes_the_seat_on() -> None:
    network = NetworkFactory(member_cap=3)
    MembershipFactory(network=network)
    user, _ = _president(network)  # two active, one seat offered: full
    holder = _waiting(network, 1, offered_at=NOW, offer_expires_at=NOW + dt.timedelta(days=7))
    nxt = _waiting(network, 2)
    done = admissions.membership_refuse(
        membership=holder, actor=user, reason="Absent à trois réunions", now=NOW
    )
    assert (done.status, done.queue_position, done.offer_expires_at) == (Status.REFUSED, None, None)
    nxt.refresh_from_db()
    assert nxt.offered_at == NOW
    entry = _entry("membership.refuse", network)
    assert (entry.actor, _target(entry), entry.details) == (
        user,
        ("networks.membership", holder.pk),
        {"reason": "Absent à trois réunions"},
    )


def test_refusing_someone_waiting_without_an_offer_offers_nothing() -> None:
    network = NetworkFactory(member_cap=1)
    user, _ = _president(network)
    waiting, nxt = _waiting(network, 1), _waiting(network, 2)
    admissions.membership_refuse(membership=waiting, actor=user, reason="Doublon")
    nxt.refresh_from_db()
    assert nxt.offer_expires_at is None
    assert not AuditEntry.objects.filter(action="membership.offer").exists()


def test_declining_passes_the_seat_on_and_is_recorded_as_the_persons_own() -> None:
    network = NetworkFactory(member_cap=2)
    MembershipFactory(network=network)
    holder = _waiting(network, 1, offered_at=NOW, offer_expires_at=NOW + dt.timedelta(days=7))
    holder.person.user = UserFactory()
    holder.person.save()
    nxt = _waiting(network, 2)
    done = seats.seat_offer_decline(membership=holder, person=holder.person, now=NOW)
    assert (done.status, done.decided_at, done.queue_position) == (Status.DECLINED, NOW, None)
    nxt.refresh_from_db()
    assert nxt.offered_at == NOW
    entry = _entry("membership.offer_decline", network)
    assert (entry.actor, _target(entry)) == (holder.person.user, ("networks.membership", holder.pk))


def test_an_offer_expires_at_its_deadline_not_before() -> None:
    network = NetworkFactory(member_cap=2)
    MembershipFactory(network=network)
    deadline = NOW + dt.timedelta(days=7)
    holder = _waiting(network, 1, offered_at=NOW, offer_expires_at=deadline)
    assert seats.seat_offers_expire(now=deadline - dt.timedelta(seconds=1), network=network) == 0
    assert seats.seat_offers_expire(now=deadline, network=network) == 1
    holder.refresh_from_db()
    assert (holder.status, holder.decided_at, holder.queue_position) == (Status.DECLINED, deadline, None)
    entry = _entry("membership.offer_expire", network)
    assert (entry.actor, _target(entry)) == (None, ("networks.membership", holder.pk))


def test_expiring_offers_of_one_network_leaves_the_others_alone(neighbour: Network) -> None:
    network = NetworkFactory(member_cap=2)
    MembershipFactory(network=network)
    _waiting(network, 1, offered_at=NOW, offer_expires_at=NOW + dt.timedelta(days=1))
    far = NOW + dt.timedelta(days=400)  # the neighbour's offer is past its deadline too
    assert seats.seat_offers_expire(now=far, network=network) == 1
    assert Membership.objects.filter(network=neighbour, status=Status.DECLINED).count() == 0


# The waiting list's order


def test_the_waiting_list_puts_people_without_a_position_after_the_others_on_every_database() -> None:
    # SQLite sorts an empty position first, PostgreSQL last: the order is written out, nulls last.
    network = NetworkFactory(member_cap=1)
    MembershipFactory(network=network)
    unplaced = _waiting(network, None)  # the oldest, but with no place in the queue
    second, first = _waiting(network, 2), _waiting(network, 1)
    assert [m.pk for m in waitlist(network)] == [first.pk, second.pk, unplaced.pk]
    assert waitlist_position(unplaced) == 3
    MembershipFactory(network=network, status=Status.LEFT)  # not a seat, the cap stays full
    network.member_cap = 2
    network.save()
    assert [m.pk for m in seats.offer_free_seats(network, NOW)] == [first.pk]


def test_moving_down_and_up_renumbers_the_queue_and_records_both_places() -> None:
    network = NetworkFactory(member_cap=1)
    user, _ = _president(network)
    a, b, c = _waiting(network, 1), _waiting(network, 2), _waiting(network, 3)
    seats.waitlist_move(membership=a, actor=user, up=False)
    assert [m.pk for m in waitlist(network)] == [b.pk, a.pk, c.pk]
    entry = _entry("membership.waitlist_move", network)
    assert (entry.actor, _target(entry), entry.details) == (
        user,
        ("networks.membership", a.pk),
        {"from": 1, "to": 2},
    )
    moved = seats.waitlist_move(membership=c, actor=user, up=True)
    assert moved.queue_position == 2
    assert [(m.pk, m.queue_position) for m in waitlist(network)] == [(b.pk, 1), (c.pk, 2), (a.pk, 3)]
    with pytest.raises(ValidationError, match="en tête ou en fin"):
        seats.waitlist_move(membership=a, actor=user, up=False)
    with pytest.raises(ValidationError, match="en tête ou en fin"):
        seats.waitlist_move(membership=b, actor=user, up=True)


@pytest.mark.parametrize("status", [Status.ACTIVE, Status.APPLIED, Status.LEFT, Status.DECLINED])
def test_moving_someone_not_on_the_waiting_list_is_refused(status: str) -> None:
    network = NetworkFactory(member_cap=1)
    user, _ = _president(network)
    _waiting(network, 1)
    m = MembershipFactory(network=network, status=status)
    with pytest.raises(ValidationError, match="pas sur la liste d'attente"):
        seats.waitlist_move(membership=m, actor=user, up=True)
    assert not AuditEntry.objects.filter(action="membership.waitlist_move").exists()


# Departures and the board


def test_a_member_leaves_and_the_first_in_line_of_this_network_gets_the_seat(neighbour: Network) -> None:
    network = NetworkFactory(member_cap=1)
    user, _ = _president(network)
    leaving = MembershipFactory(network=network)
    network.member_cap = 2
    network.save()
    waiting = _waiting(network, 1)
    done = memberships.membership_leave(membership=leaving, actor=user, now=NOW)
    assert (done.status, done.end_date) == (Status.LEFT, NOW.date())
    waiting.refresh_from_db()
    assert waiting.offered_at == NOW
    entry = _entry("membership.leave", network)
    assert (entry.actor, _target(entry)) == (user, ("networks.membership", leaving.pk))


@pytest.mark.parametrize("status", [Status.LEFT, Status.WAITLISTED, Status.APPLIED, Status.REFUSED])
def test_leaving_when_not_active_is_refused(status: str) -> None:
    network = NetworkFactory()
    m = MembershipFactory(network=network, status=status)
    with pytest.raises(ValidationError, match="Seul un membre actif"):
        memberships.membership_leave(membership=m, actor=None, now=NOW)
    m.refresh_from_db()
    assert m.status == status
    assert not AuditEntry.objects.filter(action="membership.leave").exists()


def test_leaving_on_the_day_one_joined_is_allowed() -> None:
    network = NetworkFactory()
    m = MembershipFactory(network=network, start_date=NOW.date())
    assert memberships.membership_leave(membership=m, actor=None, now=NOW).end_date == NOW.date()


def test_the_last_active_president_stays_though_a_former_president_and_the_neighbours_are_on_record(
    neighbour: Network,
) -> None:
    network = NetworkFactory()
    user, president = _president(network)
    MembershipFactory(network=network, role=Role.PRESIDENT, status=Status.LEFT)
    MembershipFactory(network=network, role=Role.BOARD, status=Status.WAITLISTED)
    assert Membership.objects.managing().filter(network=neighbour).exists()
    with pytest.raises(ValidationError, match="plus personne pour le gérer"):
        memberships.membership_leave(membership=president, actor=user, now=NOW)
    with pytest.raises(ValidationError) as exc:
        memberships.membership_set_role(membership=president, actor=user, role=Role.MEMBER)
    assert "role" in exc.value.message_dict
    president.refresh_from_db()
    assert (president.status, president.role) == (Status.ACTIVE, Role.PRESIDENT)


@pytest.mark.parametrize("role", [Role.BOARD, Role.STAFF, Role.PRESIDENT])
def test_a_president_may_go_when_another_board_member_stays(role: str) -> None:
    network = NetworkFactory()
    user, president = _president(network)
    MembershipFactory(network=network, role=role)
    assert memberships.membership_leave(membership=president, actor=user, now=NOW).status == Status.LEFT


def test_a_plain_member_may_leave_a_network_whose_only_president_stays() -> None:
    network = NetworkFactory()
    _president(network)
    m = MembershipFactory(network=network)
    assert memberships.membership_leave(membership=m, actor=None, now=NOW).status == Status.LEFT


def test_a_role_changes_between_board_roles_even_for_the_last_board_member() -> None:
    network = NetworkFactory()
    user, president = _president(network)
    done = memberships.membership_set_role(membership=president, actor=user, role=Role.BOARD)
    assert done.role == Role.BOARD
    entry = _entry("membership.role", network)
    assert (entry.actor, _target(entry), entry.details) == (
        user,
        ("networks.membership", president.pk),
        {"from": "president", "to": "board"},
    )


def test_a_role_is_given_to_active_members_only_and_must_be_known() -> None:
    network = NetworkFactory()
    user, _ = _president(network)
    waiting = _waiting(network, 1)
    with pytest.raises(ValidationError) as exc:
        memberships.membership_set_role(membership=waiting, actor=user, role=Role.BOARD)
    assert "role" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        memberships.membership_set_role(membership=waiting, actor=user, role="tresorier")
    assert "role" in exc.value.message_dict


# One seat per profession


def test_a_member_who_left_no_longer_holds_their_professions_seat(neighbour: Network) -> None:
    network = NetworkFactory(one_seat_per_profession=True)
    MembershipFactory(
        network=network, status=Status.LEFT, person=PersonFactory(organisation=None, trade="Plombier")
    )
    # the neighbour's active plumber holds the neighbour's seat, not this one
    joined = admissions.membership_request(
        person=PersonFactory(organisation=None, trade="Plombier"), network=network
    )
    assert joined.status == Status.ACTIVE
    with pytest.raises(professions.ProfessionTaken):
        admissions.membership_request(
            person=PersonFactory(organisation=None, trade="plombier"), network=network
        )


def test_the_profession_rule_only_binds_networks_that_chose_it() -> None:
    network = NetworkFactory(one_seat_per_profession=False)
    MembershipFactory(network=network, person=PersonFactory(organisation=None, trade="Plombier"))
    person = PersonFactory(organisation=None, trade="Plombier")
    assert not professions.profession_taken(network=network, person=person)
    nobody = PersonFactory(organisation=None, trade="  ")
    assert professions.profession_of(nobody) is None
    assert not professions.profession_taken(
        network=NetworkFactory(one_seat_per_profession=True), person=nobody
    )


def test_a_person_does_not_block_their_own_profession_seat() -> None:
    network = NetworkFactory(one_seat_per_profession=True)
    plumber = MembershipFactory(network=network, person=PersonFactory(organisation=None, trade="Plombier"))
    assert not professions.profession_taken(network=network, person=plumber.person)


def test_an_offer_to_a_profession_already_seated_is_refused_on_acceptance() -> None:
    network = NetworkFactory(member_cap=3, one_seat_per_profession=True)
    MembershipFactory(network=network, person=PersonFactory(organisation=None, trade="Plombier"))
    offered = _waiting(
        network,
        1,
        offered_at=NOW,
        offer_expires_at=NOW + dt.timedelta(days=7),
        person=PersonFactory(organisation=None, trade="Plombier"),
    )
    with pytest.raises(professions.ProfessionTaken):
        seats.seat_offer_accept(membership=offered, person=offered.person, now=NOW)


# Decisions


@pytest.mark.parametrize("status", [Status.ACTIVE, Status.LEFT, Status.REFUSED, Status.DECLINED])
def test_refusing_when_nothing_is_pending_is_refused(status: str) -> None:
    network = NetworkFactory()
    user, _ = _president(network)
    m = MembershipFactory(network=network, status=status)
    with pytest.raises(ValidationError, match="Seule une candidature"):
        admissions.membership_refuse(membership=m, actor=user, reason="Motif")
    m.refresh_from_db()
    assert m.status == status


def test_the_board_approves_and_the_audit_says_who_whom_and_the_outcome() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.APPLICATION, member_cap=2)
    user, _ = _president(network)
    applied = admissions.membership_request(person=PersonFactory(), network=network)
    waiting = admissions.membership_request(person=PersonFactory(), network=network)
    admissions.membership_approve(membership=applied, actor=user, now=NOW)
    done = admissions.membership_approve(membership=waiting, actor=user, now=NOW)
    assert (done.status, done.queue_position, done.decided_at) == (Status.WAITLISTED, 1, NOW)
    entries = AuditEntry.objects.filter(action="membership.approve", network=network).order_by("id")
    assert [(e.actor, e.target_id, e.details) for e in entries] == [
        (user, applied.pk, {"status": "active"}),
        (user, waiting.pk, {"status": "waitlisted"}),
    ]


def test_accepting_ones_own_invitation_is_refused() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    sponsor = MembershipFactory(network=network).person
    proposal = admissions.membership_propose(sponsor=sponsor, email="ami@exemple.fr", network=network)
    with pytest.raises(ValidationError, match="propre invitation"):
        admissions.membership_request(person=sponsor, network=network, invitation=proposal)
    proposal.refresh_from_db()
    assert proposal.membership_id is None


def test_an_invitation_of_another_network_is_refused() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    elsewhere = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    sponsor = MembershipFactory(network=elsewhere).person
    proposal = admissions.membership_propose(sponsor=sponsor, email="ami@exemple.fr", network=elsewhere)
    with pytest.raises(ValidationError, match="plus valable"):
        admissions.membership_request(person=PersonFactory(), network=network, invitation=proposal)


def test_an_invitation_used_is_recorded_with_the_applicant_and_whether_it_was_confirmed() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    sponsor_user = UserFactory()
    sponsor = MembershipFactory(network=network, person=PersonFactory(user=sponsor_user)).person
    invitee_user = UserFactory(email="invitee@exemple.fr")
    invitee = PersonFactory(user=invitee_user, email="autre@exemple.fr")
    proposal = admissions.membership_propose(
        sponsor=sponsor, email="invitee@exemple.fr", network=network, actor=sponsor_user
    )
    propose = _entry("membership.propose", network)
    assert (propose.actor, _target(propose)) == (sponsor_user, ("networks.proposal", proposal.pk))
    applied = admissions.membership_request(person=invitee, network=network, invitation=proposal, now=NOW)
    assert applied.sponsor_confirmed_at == NOW  # known by the invited address (their account's)
    entry = _entry("membership.invitation_accept", network)
    assert (entry.actor, _target(entry), entry.details) == (
        invitee_user,
        ("networks.membership", applied.pk),
        {"confirmed": True},
    )


def test_a_sponsors_answer_is_recorded_as_theirs() -> None:
    network = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    sponsor_user = UserFactory()
    sponsor = MembershipFactory(network=network, person=PersonFactory(user=sponsor_user)).person
    applied = admissions.membership_request(
        person=PersonFactory(), network=network, sponsor_email=sponsor.email
    )
    done = admissions.membership_sponsor_answer(membership=applied, sponsor=sponsor, confirm=True, now=NOW)
    assert (done.status, done.sponsor_confirmed_at) == (Status.APPLIED, NOW)
    entry = _entry("membership.sponsor_confirm", network)
    assert (entry.actor, _target(entry)) == (sponsor_user, ("networks.membership", applied.pk))
    with pytest.raises(ValidationError, match="Aucun parrainage"):
        admissions.membership_sponsor_answer(membership=applied, sponsor=sponsor, confirm=False, reason="Non")


def test_the_refusal_names_the_professions_activity_or_the_declared_trade() -> None:
    from meute.reference.models import NafCode

    naf = NafCode.objects.get(code="43.22A")
    network = NetworkFactory(one_seat_per_profession=True)
    MembershipFactory(network=network, person=PersonFactory(organisation=OrganisationFactory(naf=naf)))
    MembershipFactory(network=network, person=PersonFactory(organisation=None, trade="Plombier chauffagiste"))
    with pytest.raises(professions.ProfessionTaken) as exc:
        admissions.membership_request(
            person=PersonFactory(organisation=OrganisationFactory(naf=naf), trade="Autre chose"),
            network=network,
        )
    assert f"« {naf.label} »" in exc.value.messages[0]
    assert exc.value.code == "profession_taken"
    # without a NAF code, the trade as declared, compared whatever its spaces and case
    with pytest.raises(professions.ProfessionTaken) as exc:
        admissions.membership_request(
            person=PersonFactory(organisation=None, trade="  plombier   CHAUFFAGISTE "), network=network
        )
    assert "« plombier   CHAUFFAGISTE »" in exc.value.messages[0]
