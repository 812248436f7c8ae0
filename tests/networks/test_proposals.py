"""A member proposes someone to a network by co-optation: an invitation by e-mail, never an
application filed in the person's name, and never a word on whether the address is known."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meute.accounts.models import User
from meute.networks.models import AdmissionMode, Membership, Network, Proposal, Status
from meute.networks.services import admissions
from tests.factories import MembershipFactory, NetworkFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

AsAny = Callable[[str], Client]
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def cooptation(club: Network) -> Network:
    Network.objects.filter(pk=club.pk).update(admission_mode=AdmissionMode.COOPTATION)
    club.refresh_from_db()
    return club


def propose(sponsor: Any, email: str, network: Network, **kwargs: Any) -> Proposal:
    return admissions.membership_propose(sponsor=sponsor, email=email, network=network, **kwargs)


# The service


def test_a_proposal_files_no_application_and_emails_an_invitation_with_a_link(
    cooptation: Network, member: User, other_member: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(
            member.person,  # type: ignore[attr-defined]
            "Membre@Autre.example",
            cooptation,
            site_url="https://meute.example/",
        )
    assert not Membership.objects.filter(person=other_member.person, network=cooptation).exists()  # type: ignore[attr-defined]
    assert proposal.email == "membre@autre.example" and proposal.membership is None
    assert proposal.expires_at - proposal.created_at >= dt.timedelta(days=29)
    [sent] = mail.outbox
    assert sent.to == ["membre@autre.example"]
    assert sent.subject == "Claire Moreau vous propose de rejoindre Club des dirigeants du Bâtiment"
    assert f"https://meute.example/reseaux/invitations/{proposal.token}/" in sent.body
    assert "aucune candidature n'est déposée à votre nom" in sent.body
    assert sent.content_subtype == "plain"


@pytest.mark.parametrize("who", ["nobody", "account", "member", "other_network_member"])
def test_the_proposal_is_the_same_whoever_the_address_belongs_to(
    cooptation: Network, member: User, who: str, django_capture_on_commit_callbacks: Any
) -> None:
    email = {
        "nobody": "personne@nulle-part.example",
        "account": UserFactory().email,
        "member": MembershipFactory(network=cooptation).person.email,
        "other_network_member": MembershipFactory().person.email,
    }[who]
    before = Membership.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(member.person, email, cooptation)  # type: ignore[attr-defined]
    assert Membership.objects.count() == before
    assert [m.to for m in mail.outbox] == [[email]]
    assert proposal.membership is None


def test_a_member_cannot_propose_their_own_address(cooptation: Network, member: User) -> None:
    with pytest.raises(ValidationError) as exc:
        propose(member.person, "MEMBRE@club.example", cooptation)  # type: ignore[attr-defined]
    assert "email" in exc.value.message_dict


def test_a_member_invites_an_address_once_while_the_invitation_runs_but_another_member_may_too(
    cooptation: Network, member: User
) -> None:
    propose(member.person, "ami@exemple.fr", cooptation)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="déjà invité cette adresse"):
        propose(member.person, "AMI@exemple.fr", cooptation)  # type: ignore[attr-defined]
    colleague = MembershipFactory(network=cooptation).person
    propose(colleague, "ami@exemple.fr", cooptation)
    assert Proposal.objects.filter(email="ami@exemple.fr").count() == 2


def test_a_member_sends_at_most_ten_invitations_a_day(cooptation: Network, member: User) -> None:
    person = member.person  # type: ignore[attr-defined]
    for k in range(admissions.PROPOSALS_PER_DAY):
        propose(person, f"ami{k}@exemple.fr", cooptation)
    with pytest.raises(ValidationError, match="réessayez demain"):
        propose(person, "encore@exemple.fr", cooptation)
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    propose(person, "encore@exemple.fr", cooptation, now=later)


def test_only_an_active_member_of_a_cooptation_network_proposes(
    club: Network, cooptation: Network, other_member: User
) -> None:
    with pytest.raises(ValidationError, match="Seul un membre actif"):
        propose(other_member.person, "ami@exemple.fr", cooptation)  # type: ignore[attr-defined]
    open_network = NetworkFactory(admission_mode=AdmissionMode.OPEN)
    sponsor = MembershipFactory(network=open_network).person
    with pytest.raises(ValidationError, match="ne recrute pas par cooptation"):
        propose(sponsor, "ami@exemple.fr", open_network)
    assert not Proposal.objects.exists()


def test_expired_invitations_nobody_used_are_deleted(cooptation: Network, member: User) -> None:
    person = member.person  # type: ignore[attr-defined]
    old = propose(person, "ancien@exemple.fr", cooptation, now=NOW)
    propose(person, "nouveau@exemple.fr", cooptation, now=NOW + dt.timedelta(days=31))
    assert not Proposal.objects.filter(pk=old.pk).exists()


# Applying from the invitation


def test_the_invited_person_applies_with_the_sponsorship_already_confirmed(
    cooptation: Network, member: User, manager: User
) -> None:
    invitee = PersonFactory(email="invitee@exemple.fr")
    proposal = propose(member.person, "invitee@exemple.fr", cooptation)  # type: ignore[attr-defined]
    applied = admissions.membership_request(person=invitee, network=cooptation, invitation=proposal)
    assert (applied.status, applied.sponsor) == (Status.APPLIED, member.person)  # type: ignore[attr-defined]
    assert applied.sponsor_confirmed_at is not None
    proposal.refresh_from_db()
    assert proposal.membership == applied
    assert admissions.membership_approve(membership=applied, actor=manager).status == Status.ACTIVE


def test_a_link_opened_by_someone_else_needs_the_member_to_confirm_who_applied(
    cooptation: Network, member: User
) -> None:
    proposal = propose(member.person, "invitee@exemple.fr", cooptation)  # type: ignore[attr-defined]
    forwarded = PersonFactory(email="quelquun@exemple.fr")
    applied = admissions.membership_request(person=forwarded, network=cooptation, invitation=proposal)
    assert applied.sponsor == member.person and applied.awaits_sponsor  # type: ignore[attr-defined]


def test_an_application_waiting_for_a_sponsor_gets_the_one_who_invited_the_person(
    cooptation: Network, member: User
) -> None:
    # What /proposer/ did before for someone who had applied alone; they now accept it themselves.
    invitee = PersonFactory(email="invitee@exemple.fr")
    waiting = admissions.membership_request(person=invitee, network=cooptation, sponsor_email="")
    assert waiting.sponsor is None
    proposal = propose(member.person, "invitee@exemple.fr", cooptation)  # type: ignore[attr-defined]
    same = admissions.membership_request(person=invitee, network=cooptation, invitation=proposal)
    assert same.pk == waiting.pk and same.sponsor == member.person  # type: ignore[attr-defined]
    assert same.sponsor_confirmed_at is not None


@pytest.mark.parametrize("why", ["used", "expired", "sponsor_left", "no_longer_cooptation"])
def test_an_invitation_that_is_no_longer_valid_is_refused(
    cooptation: Network, member: User, why: str
) -> None:
    proposal = propose(member.person, "invitee@exemple.fr", cooptation, now=NOW)  # type: ignore[attr-defined]
    now = NOW + dt.timedelta(days=1)
    if why == "used":
        admissions.membership_request(
            person=PersonFactory(), network=cooptation, invitation=proposal, now=now
        )
    elif why == "expired":
        now = NOW + dt.timedelta(days=admissions.PROPOSAL_DAYS, seconds=1)
    elif why == "sponsor_left":
        Membership.objects.filter(person=member.person, network=cooptation).update(status=Status.LEFT)  # type: ignore[attr-defined]
    else:
        Network.objects.filter(pk=cooptation.pk).update(admission_mode=AdmissionMode.APPLICATION)
    invitee = PersonFactory(email="invitee@exemple.fr")
    with pytest.raises(ValidationError, match="n'est plus valable"):
        admissions.membership_request(person=invitee, network=cooptation, invitation=proposal, now=now)
    assert not Membership.objects.filter(person=invitee).exists()


def test_an_invitation_to_another_network_is_refused(cooptation: Network, member: User) -> None:
    elsewhere = NetworkFactory(admission_mode=AdmissionMode.COOPTATION)
    sponsor = MembershipFactory(network=elsewhere).person
    proposal = propose(sponsor, "invitee@exemple.fr", elsewhere)
    with pytest.raises(ValidationError, match="n'est plus valable"):
        admissions.membership_request(
            person=PersonFactory(email="invitee@exemple.fr"), network=cooptation, invitation=proposal
        )


# The pages


def outcome(client: Client, url: str, email: str) -> tuple[int, str, list[str]]:
    response = client.post(url, {"email": email})
    followed = client.get(response.url) if response.status_code == 302 else response  # type: ignore[attr-defined]
    texts = [html.unescape(str(m)) for m in followed.context["messages"]]
    return response.status_code, getattr(response, "url", ""), texts


def test_the_propose_page_answers_the_same_for_anyone_and_nobody(
    as_any: AsAny, cooptation: Network, member: User, other_member: User
) -> None:
    # The review's probe: "Aucune personne inscrite" for an unknown address, an application
    # filed in the name of anyone on Meute.
    url = reverse("networks:propose", args=[cooptation.slug])
    client = as_any("member")
    active = MembershipFactory(network=cooptation).person.email
    results = {
        email: outcome(client, url, email)
        for email in ("nobody@nowhere.example", "membre@autre.example", active)
    }
    answers = {
        (status, where, tuple(t.replace(email, "<e>") for t in texts))
        for email, (status, where, texts) in results.items()
    }
    assert len(answers) == 1, answers
    [(status, where, texts)] = answers
    assert status == 302 and where == cooptation.get_absolute_url()
    assert "Invitation envoyée à <e>" in texts[0]
    assert not Membership.objects.filter(person=other_member.person, network=cooptation).exists()  # type: ignore[attr-defined]
    assert Proposal.objects.filter(network=cooptation).count() == 3


def test_the_propose_page_names_the_field_for_a_bad_address(as_any: AsAny, cooptation: Network) -> None:
    response = as_any("member").post(
        reverse("networks:propose", args=[cooptation.slug]), {"email": "pas-une-adresse"}
    )
    assert response.status_code == 400
    assert "Saisissez une adresse de courriel valide" in html.unescape(response.content.decode())
    assert not Proposal.objects.exists()


def test_the_invited_person_signs_in_and_applies_from_the_link(
    as_any: AsAny, cooptation: Network, member: User, other_member: User
) -> None:
    proposal = propose(member.person, "membre@autre.example", cooptation)  # type: ignore[attr-defined]
    url = reverse("networks:invitation", args=[proposal.token])
    page = html.unescape(as_any("anonymous").get(url).content.decode())
    assert "Claire Moreau, membre de Club des dirigeants du Bâtiment, vous propose" in page
    assert f"?next={url}" in page.replace("%2F", "/")
    anonymous_post = as_any("anonymous").post(url)
    assert anonymous_post.status_code == 302 and anonymous_post.url.startswith(reverse("accounts:login"))  # type: ignore[attr-defined]
    client = as_any("other_member")
    assert "Candidater avec le parrainage de Claire Moreau" in html.unescape(client.get(url).content.decode())
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("networks:applications")  # type: ignore[attr-defined]
    applied = Membership.objects.get(person=other_member.person, network=cooptation)  # type: ignore[attr-defined]
    assert applied.sponsor == member.person and applied.sponsor_confirmed_at is not None  # type: ignore[attr-defined]
    mine = html.unescape(client.get(reverse("networks:applications")).content.decode())
    assert "Claire Moreau — parrainage confirmé" in mine
    again = client.get(url)
    assert again.status_code == 410 and "n'est plus valable" in html.unescape(again.content.decode())


def test_an_unknown_invitation_is_a_404(as_any: AsAny, cooptation: Network) -> None:
    assert (
        as_any("other_member").get(reverse("networks:invitation", args=["pas-un-jeton"])).status_code == 404
    )


def test_the_invitation_page_asks_for_the_charter(
    as_any: AsAny, cooptation: Network, member: User, other_member: User
) -> None:
    Network.objects.filter(pk=cooptation.pk).update(charter="Pas de démarchage.", charter_version="2026-1")
    proposal = propose(member.person, "membre@autre.example", cooptation)  # type: ignore[attr-defined]
    url = reverse("networks:invitation", args=[proposal.token])
    response = as_any("other_member").post(url, {})
    assert response.status_code == 400 and "Acceptez la charte" in html.unescape(response.content.decode())
    assert as_any("other_member").post(url, {"accept_charter": "on"}).status_code == 302
    assert Membership.objects.get(person=other_member.person, network=cooptation).charter_version == "2026-1"  # type: ignore[attr-defined]


def test_the_board_sees_the_members_invitations_and_what_came_of_them(
    as_any: AsAny, cooptation: Network, manager: User, member: User, other_member: User
) -> None:
    used = propose(member.person, "membre@autre.example", cooptation)  # type: ignore[attr-defined]
    propose(member.person, "ami@exemple.fr", cooptation)  # type: ignore[attr-defined]
    admissions.membership_request(person=other_member.person, network=cooptation, invitation=used)  # type: ignore[attr-defined]
    page = html.unescape(
        as_any("manager").get(reverse("networks:manage", args=[cooptation.slug])).content.decode()
    )
    assert "Invitations des membres" in page
    assert "ami@exemple.fr" in page and "en attente, jusqu'au" in page
    assert "candidature de Hugo Bernard" in page
