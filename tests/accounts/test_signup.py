"""Sign-up proves the address before anything is created or attached.

The form only e-mails a link; the account is created, and a person imported
with that address (with their memberships and roles) attached to it, only
when the link is followed. The form answers the same whether the address has
an account or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from meute.accounts.models import Consent, ConsentPurpose, Person, SignupRequest, User
from meute.accounts.tokens import SIGNUP_SALT, signup_token_make
from meute.networks.models import Network, Role
from tests.conftest import ROLES
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Client]
SIGNUP = reverse("accounts:signup")
SENT = reverse("accounts:signup_sent")
CONFIRM = reverse("accounts:signup_confirm", args=["valider"])
PASSWORD = "une-Phrase-de-passe-solide-42"


def account_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Camille",
        "last_name": "Martin",
        "password": PASSWORD,
        "directory_consent": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def sign_up(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Post the sign-up form and run what it queued on commit (the e-mail), as a real request would."""

    def post(client: Client, data: dict[str, str], follow: bool = False) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP, data, follow=follow)

    return post


def link_path(message: Any) -> str:
    found = re.search(r"https?://testserver(/comptes/inscription/confirmer/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def open_link(client: Client, path: str) -> Any:
    return client.get(path, follow=True)


@pytest.fixture
def imported_president(club: Network) -> Person:
    """The president of `club`, imported from the network's list: a person with no account."""
    president = PersonFactory(email="jeanne.president@club.example", first_name="Jeanne", last_name="Boss")
    MembershipFactory(person=president, network=club, role=Role.PRESIDENT)
    return president


# The form: an address, a link e-mailed to it, nothing else


def test_signup_creates_nothing_and_emails_a_link_to_the_address(
    client: Client, sign_up: Callable[..., Any]
) -> None:
    response = sign_up(client, {"email": "  Camille.Martin@Exemple.fr "})
    assert response.status_code == 302
    assert response.url == SENT
    assert not User.objects.exists()
    assert not Person.objects.exists()
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camille.martin@exemple.fr"]
    assert "/comptes/inscription/confirmer/" in mail.outbox[0].body


def test_following_the_link_creates_the_account_logs_in_and_records_both_consents(
    client: Client, sign_up: Callable[..., Any]
) -> None:
    sign_up(client, {"email": "camille.martin@exemple.fr"})
    page = open_link(client, link_path(mail.outbox[0]))
    assert page.status_code == 200
    assert page.context["validlink"] is True
    assert "camille.martin@exemple.fr" in page.content.decode()
    response = client.post(CONFIRM, account_data())
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user = User.objects.get(email="camille.martin@exemple.fr")
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name) == ("Camille", "Martin")
    assert int(client.session["_auth_user_id"]) == user.pk
    consents = {c.purpose: c.granted for c in Consent.objects.filter(person__user=user)}
    assert consents == {"directory": True, "matchmaking": False}


def test_the_link_works_in_another_browser_and_keeps_its_token_out_of_the_address(
    client: Client, sign_up: Callable[..., Any]
) -> None:
    sign_up(Client(), {"email": "camille.martin@exemple.fr"})
    page = open_link(client, link_path(mail.outbox[0]))
    # The form sits at a neutral address: the token does not leak through Referer or history.
    assert page.redirect_chain[-1][0] == CONFIRM
    client.post(CONFIRM, account_data())
    assert User.objects.filter(email="camille.martin@exemple.fr").exists()


def test_the_account_gets_the_address_the_link_was_sent_to_whatever_is_posted(
    client: Client, sign_up: Callable[..., Any]
) -> None:
    sign_up(client, {"email": "camille.martin@exemple.fr"})
    open_link(client, link_path(mail.outbox[0]))
    client.post(CONFIRM, account_data(email="autre@exemple.fr"))
    assert list(User.objects.values_list("email", flat=True)) == ["camille.martin@exemple.fr"]


def test_signup_names_a_missing_or_malformed_address(client: Client, sign_up: Callable[..., Any]) -> None:
    for value in ("", "pas-une-adresse"):
        response = sign_up(client, {"email": value})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["email"]
    assert mail.outbox == []
    assert not SignupRequest.objects.exists()


def test_a_logged_in_user_is_sent_from_signup_to_their_profile(
    client: Client, sign_up: Callable[..., Any]
) -> None:
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(SIGNUP).url == reverse("accounts:profile")
    assert sign_up(client, {"email": "x@exemple.fr"}).url == reverse("accounts:profile")
    assert mail.outbox == []


# The account form behind the link


@pytest.fixture
def on_the_form(client: Client, sign_up: Callable[..., Any]) -> Client:
    sign_up(client, {"email": "camille.martin@exemple.fr"})
    open_link(client, link_path(mail.outbox[0]))
    return client


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("court1", "Ce mot de passe est trop court"),
        ("1234567890123", "Ce mot de passe est entièrement numérique"),
        ("password1234", "Ce mot de passe est trop courant"),
        ("camille.martin", "trop semblable"),
    ],
)
def test_the_account_form_refuses_a_weak_password_naming_the_field(
    on_the_form: Client, password: str, message: str
) -> None:
    response = on_the_form.post(CONFIRM, account_data(password=password))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["password"]
    assert message in " ".join(response.context["form"].errors["password"])
    assert not User.objects.exists()
    assert not Person.objects.exists()


def test_the_account_form_names_every_missing_field(on_the_form: Client) -> None:
    response = on_the_form.post(CONFIRM, {"first_name": "", "last_name": "", "password": ""})
    assert set(response.context["form"].errors) == {"first_name", "last_name", "password"}
    assert not User.objects.exists()


def test_a_link_works_only_once(client: Client, sign_up: Callable[..., Any]) -> None:
    sign_up(client, {"email": "camille.martin@exemple.fr"})
    path = link_path(mail.outbox[0])
    open_link(client, path)
    client.post(CONFIRM, account_data())
    again = Client()
    page = open_link(again, path)
    assert page.redirect_chain[-1][0] == reverse("accounts:login")
    again.post(CONFIRM, account_data(password="un-Autre-mot-de-passe-77"))
    assert User.objects.count() == 1
    assert User.objects.get().check_password(PASSWORD)


def test_a_forged_token_shows_an_invalid_link(client: Client) -> None:
    forged = signing.dumps({"email": "camille.martin@exemple.fr"}, salt=SIGNUP_SALT, key="pas-la-bonne-clé")
    for token in (forged, "n-importe-quoi", signup_token_make(email="a@exemple.fr") + "x"):
        page = open_link(Client(), reverse("accounts:signup_confirm", args=[token]))
        assert page.status_code == 200
        assert page.context["validlink"] is False
    assert Client().post(CONFIRM, account_data()).context["validlink"] is False
    assert not User.objects.exists()


def test_a_token_of_another_purpose_is_refused(client: Client) -> None:
    # Signed with the site's key but another salt: not a sign-up link.
    token = signing.dumps({"email": "camille.martin@exemple.fr"})
    page = open_link(client, reverse("accounts:signup_confirm", args=[token]))
    assert page.context["validlink"] is False


def test_an_expired_link_shows_an_invalid_link(
    client: Client, settings: Any, sign_up: Callable[..., Any]
) -> None:
    sign_up(client, {"email": "camille.martin@exemple.fr"})
    settings.SIGNUP_LINK_MAX_AGE = -1  # every link is already too old
    page = open_link(client, link_path(mail.outbox[0]))
    assert page.context["validlink"] is False
    client.post(CONFIRM, account_data())
    assert not User.objects.exists()


# An imported person: attached only once the link sent to their address is followed


@pytest.mark.parametrize("role", ROLES)
def test_signing_up_with_an_imported_presidents_email_takes_over_nothing(
    as_role: AsRole,
    role: str,
    club: Network,
    imported_president: Person,
    member: User,
    sign_up: Callable[..., Any],
) -> None:
    attacker = as_role(role)
    manage = reverse("networks:manage", args=[club.slug])
    export = reverse("networks:contacts_export", args=[club.slug])
    before = (attacker.get(manage).status_code, attacker.get(export).status_code)
    sign_up(attacker, {"email": "jeanne.president@club.example"})
    imported_president.refresh_from_db()
    assert imported_president.user is None
    assert not User.objects.filter(email="jeanne.president@club.example").exists()
    # Only the address itself may get a link.
    assert all(m.to == ["jeanne.president@club.example"] for m in mail.outbox)
    # The attacker gained nothing: the same answers on the board pages as before.
    assert (attacker.get(manage).status_code, attacker.get(export).status_code) == before
    if role in ("member", "other_member", "anonymous"):
        assert before[0] != 200 and before[1] != 200
        assert b"membre@club.example" not in attacker.get(export).content


def test_the_link_holder_signing_up_as_an_imported_president_gets_their_person_and_role(
    client: Client, club: Network, imported_president: Person, sign_up: Callable[..., Any]
) -> None:
    sign_up(client, {"email": "Jeanne.President@club.example"})
    page = open_link(client, link_path(mail.outbox[0]))
    # The form offers the name the network recorded.
    assert page.context["form"].initial == {"first_name": "Jeanne", "last_name": "Boss"}
    client.post(CONFIRM, account_data(first_name="Jeanne", last_name="Boss"))
    imported_president.refresh_from_db()
    assert imported_president.user is not None
    assert imported_president.user.email == "jeanne.president@club.example"
    assert Person.objects.filter(email__iexact="jeanne.president@club.example").count() == 1
    assert client.get(reverse("networks:manage", args=[club.slug])).status_code == 200


def test_a_link_sent_to_one_address_cannot_take_over_the_person_of_another(
    client: Client, imported_president: Person, sign_up: Callable[..., Any]
) -> None:
    sign_up(client, {"email": "intrus@exemple.fr"})
    open_link(client, link_path(mail.outbox[0]))
    client.post(CONFIRM, account_data(email="jeanne.president@club.example"))
    imported_president.refresh_from_db()
    assert imported_president.user is None
    assert User.objects.get().person.email == "intrus@exemple.fr"


# Nothing tells whether an address has an account


def test_the_answer_is_the_same_for_an_address_with_and_without_an_account(
    member: User, sign_up: Callable[..., Any]
) -> None:
    answers = []
    for email in ("membre@club.example", "MEMBRE@club.example", "personne@exemple.fr"):
        response = sign_up(Client(), {"email": email}, follow=True)
        page = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)
        answers.append((response.status_code, response.redirect_chain, page))
    assert answers[0] == answers[1] == answers[2]
    assert b"Un compte existe" not in answers[0][2]


def test_the_owner_of_an_existing_account_is_told_and_offered_a_password_reset(
    member: User, sign_up: Callable[..., Any]
) -> None:
    sign_up(Client(), {"email": "Membre@club.example"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["membre@club.example"]
    assert "vous en avez déjà un" in message.body
    assert "http://testserver" + reverse("accounts:password_reset") in message.body
    assert "/comptes/inscription/confirmer/" not in message.body
    assert User.objects.count() == 1


def test_an_existing_accounts_password_and_names_stay_as_they_were(
    member: User, sign_up: Callable[..., Any]
) -> None:
    before = (member.password, member.first_name, member.last_name)
    sign_up(Client(), {"email": "membre@club.example"})
    member.refresh_from_db()
    assert (member.password, member.first_name, member.last_name) == before


# Throttling: the mailbox is not flooded, one client cannot send without end


def test_an_address_gets_at_most_three_signup_emails_an_hour_and_the_answer_does_not_change(
    client: Client, sign_up: Callable[..., Any]
) -> None:
    responses = [
        sign_up(Client(REMOTE_ADDR=f"192.0.2.{n}"), {"email": "camille@exemple.fr"}) for n in range(5)
    ]
    assert {(r.status_code, r.url) for r in responses} == {(302, SENT)}  # type: ignore[attr-defined]
    assert len(mail.outbox) == 3


def test_one_client_address_is_refused_past_its_hourly_limit(
    settings: Any, sign_up: Callable[..., Any]
) -> None:
    settings.SIGNUP_LIMIT_PER_CLIENT = 4
    client = Client(REMOTE_ADDR="192.0.2.66")
    for n in range(4):
        assert sign_up(client, {"email": f"cible{n}@exemple.fr"}).status_code == 302
    response = sign_up(client, {"email": "cible9@exemple.fr"})
    assert response.status_code == 429
    assert "Trop de demandes d'inscription" in response.content.decode()
    assert len(mail.outbox) == 4
    # Another visitor still signs up.
    assert sign_up(Client(REMOTE_ADDR="192.0.2.10"), {"email": "moi@exemple.fr"}).status_code == 302


def test_behind_the_proxy_the_limit_is_per_visitor_not_for_everyone(
    settings: Any, sign_up: Callable[..., Any]
) -> None:
    settings.SIGNUP_LIMIT_PER_CLIENT = 2
    settings.TRUSTED_PROXY_COUNT = 1

    def visitor(ip: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ip)

    for n in range(3):
        sign_up(visitor("203.0.113.66"), {"email": f"cible{n}@exemple.fr"})
    assert sign_up(visitor("203.0.113.66"), {"email": "x@exemple.fr"}).status_code == 429
    assert sign_up(visitor("198.51.100.7"), {"email": "moi@exemple.fr"}).status_code == 302


def test_requests_older_than_an_hour_no_longer_count(settings: Any, sign_up: Callable[..., Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    settings.SIGNUP_LIMIT_PER_CLIENT = 1
    client = Client(REMOTE_ADDR="192.0.2.66")
    sign_up(client, {"email": "a@exemple.fr"})
    SignupRequest.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert sign_up(client, {"email": "b@exemple.fr"}).status_code == 302
    assert SignupRequest.objects.count() == 1  # the old one is gone


def test_signup_requests_keep_no_readable_email(client: Client, sign_up: Callable[..., Any]) -> None:
    sign_up(client, {"email": "camille.martin@exemple.fr"})
    (request,) = SignupRequest.objects.all()
    assert "camille" not in request.email_digest
    assert len(request.email_digest) == 64


def test_the_directory_consent_is_not_granted_unless_ticked(on_the_form: Client) -> None:
    on_the_form.post(CONFIRM, account_data(directory_consent=""))
    person = User.objects.get().person
    assert not person.has_consent(ConsentPurpose.DIRECTORY)
    assert not person.has_consent(ConsentPurpose.MATCHMAKING)
