"""My account: edit my profile, change my password while logged in, change my e-mail with confirmation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from meute.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/comptes/profil/modifier/", "/comptes/mot-de-passe/modifier/", "/comptes/adresse/"]
)
@pytest.mark.parametrize(
    ("role", "code"),
    [("staff", 200), ("manager", 200), ("member", 200), ("other_member", 200), ("anonymous", 302)],
)
def test_account_pages_need_an_account(
    as_role: Callable[[str], Client], path: str, role: str, code: int
) -> None:
    assert as_role(role).get(path).status_code == code


def test_editing_my_profile(as_role: Callable[[str], Client], member: User) -> None:
    response = as_role("member").post(
        "/comptes/profil/modifier/",
        {
            "first_name": "Claire",
            "last_name": "Moreau-Petit",
            "company": "Atelier Moreau",
            "job_title": "Gérante",
            "trade": "Ébéniste",
            "phone": "",
            "offers": "Meubles sur mesure",
            "seeks": "Architectes",
        },
    )
    assert response.status_code == 302
    person = member.person
    person.refresh_from_db()
    member.refresh_from_db()
    assert (person.last_name, person.organisation.name, person.offers) == (
        "Moreau-Petit",
        "Atelier Moreau",
        "Meubles sur mesure",
    )  # type: ignore[union-attr]
    assert member.last_name == "Moreau-Petit"


def test_a_shared_company_is_not_renamed_for_colleagues(
    as_role: Callable[[str], Client], member: User, manager: User
) -> None:
    shared = member.person.organisation
    manager.person.organisation = shared
    manager.person.save()
    as_role("member").post(
        "/comptes/profil/modifier/",
        {"first_name": "Claire", "last_name": "Moreau", "company": "Nouvelle SARL"},
    )
    manager.person.refresh_from_db()
    member.person.refresh_from_db()
    assert manager.person.organisation == shared and shared.name != "Nouvelle SARL"  # type: ignore[union-attr]
    assert member.person.organisation.name == "Nouvelle SARL"  # type: ignore[union-attr]


def test_changing_my_password_while_logged_in(as_role: Callable[[str], Client], member: User) -> None:
    new = "un-Autre-secret-bien-long-77"
    response = as_role("member").post(
        "/comptes/mot-de-passe/modifier/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)


def test_changing_my_email_needs_the_link(
    as_role: Callable[[str], Client], member: User, django_capture_on_commit_callbacks: Callable
) -> None:  # type: ignore[type-arg]
    client = as_role("member")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comptes/adresse/", {"email": "claire@nouveau.example", "password": PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "membre@club.example"
    link = re.search(r"http://\S+/adresse/confirmer/\S+/", mail.outbox[-1].body)
    assert link and mail.outbox[-1].to == ["claire@nouveau.example"]
    path = link.group(0).split("testserver", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.get(client.get(path).url)
    member.refresh_from_db()
    assert member.email == member.person.email == "claire@nouveau.example"
    assert mail.outbox[-1].to == ["membre@club.example"]


def test_an_email_link_is_for_its_own_account_only(
    as_role: Callable[[str], Client], member: User, django_capture_on_commit_callbacks: Callable
) -> None:  # type: ignore[type-arg]
    with django_capture_on_commit_callbacks(execute=True):
        as_role("member").post("/comptes/adresse/", {"email": "claire@nouveau.example", "password": PASSWORD})
    path = re.search(r"/comptes/adresse/confirmer/\S+/", mail.outbox[-1].body).group(0)  # type: ignore[union-attr]
    other = as_role("other_member")
    other.get(other.get(path).url)
    assert not User.objects.filter(email="claire@nouveau.example").exists()
