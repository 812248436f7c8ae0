"""« Télécharger mes données »: a task builds a JSON file and a readable summary, link valid 7 days."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from meute.accounts.models import ConsentPurpose, User
from meute.dues.models import DuesPeriod
from meute.events.models import Registration
from meute.networks.models import Network
from meute.privacy.exports import export_build
from meute.privacy.models import DataExport, ExportStatus
from meute.privacy.selectors import FORMAT, VERSION
from meute.privacy.services import export_from_token, export_request, export_token
from tests.api.conftest import make_event

pytestmark = pytest.mark.django_db

URL = "/comptes/mes-donnees/"


def ready_export(user: User) -> DataExport:
    export = export_build(export_id=export_request(user=user).pk)
    assert export is not None
    return export


def test_the_export_holds_everything_about_me(
    member: User, club: Network, django_capture_on_commit_callbacks: Callable
) -> None:  # type: ignore[type-arg]
    event = make_event(club)
    Registration.objects.create(event=event, person=member.person)
    DuesPeriod.objects.create(
        membership=member.person.memberships.get(), start="2026-01-01", end="2026-12-31", amount=80
    )
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=member)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert export.expires_at == export.ready_at + dt.timedelta(days=7)  # type: ignore[operator]
    data = json.loads(export.json_data)
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    assert data["account"]["email"] == member.email
    assert data["profile"]["last_name"] == "Moreau"
    assert [m["network"] for m in data["memberships"]] == [club.name]
    assert data["memberships"][0]["start_date"] == "2025-01-15"
    assert [r["event"] for r in data["registrations"]] == [event.title]
    assert data["dues"][0]["amount"] == "80.00"
    consent = data["consents"][0]
    assert (
        consent["purpose"] == ConsentPurpose.DIRECTORY
        and consent["text_version"] == "2026-01"
        and consent["text"]
    )
    assert "Moreau" in export.html_summary
    assert mail.outbox and mail.outbox[-1].to == [member.email]


def test_my_own_link_downloads_both_files(
    as_role: Callable[[str], Client], member: User, django_capture_on_commit_callbacks: Callable
) -> None:  # type: ignore[type-arg]
    client = as_role("member")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{URL}export/").status_code == 302
    export = DataExport.objects.get(user=member)
    token = export_token(export)
    page = client.get(URL).content.decode()
    assert token in page
    json_file = client.get(f"{URL}export/{token}/json/")
    assert json_file.status_code == 200 and json_file["Content-Disposition"].startswith("attachment")
    assert json.loads(json_file.content)["account"]["email"] == member.email
    assert client.get(f"{URL}export/{token}/html/").status_code == 200


@pytest.mark.parametrize("role", ["staff", "manager", "other_member"])
def test_someone_elses_link_is_not_found(as_role: Callable[[str], Client], member: User, role: str) -> None:
    token = export_token(ready_export(member))
    assert as_role(role).get(f"{URL}export/{token}/json/").status_code == 404


def test_a_link_older_than_seven_days_is_refused(member: User) -> None:
    export = ready_export(member)
    token = export_token(export)
    assert export_from_token(token=token, user=member) == export
    assert export_from_token(token=token, user=member, now=timezone.now() + dt.timedelta(days=8)) is None
    assert export_from_token(token=token + "x", user=member) is None


@pytest.mark.parametrize(
    ("role", "code"),
    [("staff", 200), ("manager", 200), ("member", 200), ("other_member", 200), ("anonymous", 302)],
)
def test_my_data_page_needs_an_account(as_role: Callable[[str], Client], role: str, code: int) -> None:
    assert as_role(role).get(URL).status_code == code
    assert as_role(role).get(f"{URL}supprimer/").status_code == code


def test_withdrawing_a_consent_says_its_effect_and_records_it(
    as_role: Callable[[str], Client], member: User
) -> None:
    response = as_role("member").post(f"{URL}consentements/directory/retirer/", follow=True)
    assert "disparaissent" in response.content.decode()
    assert not member.person.has_consent(ConsentPurpose.DIRECTORY)
    assert member.person.consents.count() == 2  # the history stays
    assert as_role("member").post(f"{URL}consentements/nothing/retirer/").status_code == 404
