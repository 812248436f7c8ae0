"""The yearly dossier: asked by staff, built in the background, kept with its figures; published
ones downloadable by anyone, internal copies by staff only; a past date rebuilt from the records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.networks.models import Network
from meute.observatory import services
from meute.observatory.models import Dossier, ObservedPerson
from meute.observatory.storage import figures_from_dict
from tests.observatory.conftest import csv_bytes

ROLES = ("staff", "manager", "other_manager", "member", "other_member", "anonymous")
HEADERS = ("Nom", "Prénom", "Entreprise", "Email")


@pytest.fixture
def client_for(request: pytest.FixtureRequest) -> Any:
    def login(role: str) -> Client:
        client = Client()
        user = request.getfixturevalue(role)
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture
def dossiers(club: Network, staff: User, django_capture_on_commit_callbacks: Any) -> tuple[Dossier, Dossier]:
    rows = [(f"NOM{i:02d}", "Jean", f"Firme {i}", f"n{i}@x.fr") for i in range(8)]
    imp = services.list_import_upload(
        network=club,
        user=staff,
        file_name="l.csv",
        data=csv_bytes(rows, HEADERS),
        list_date=dt.date(2025, 6, 30),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.list_import_confirm(list_import=imp, user=staff, mapping=imp.mapping)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.dossier_request(at=dt.date(2025, 12, 31), user=staff)
        internal = services.dossier_request(at=dt.date(2025, 12, 31), user=staff, published=False)
    published.refresh_from_db()
    internal.refresh_from_db()
    return published, internal


def test_a_dossier_is_built_and_kept_with_its_figures(dossiers: Any, staff: User) -> None:
    published, internal = dossiers
    assert published.status == "done" and bytes(published.pdf).startswith(b"%PDF")
    assert bytes(published.xlsx).startswith(b"PK")
    kept = figures_from_dict(published.figures)
    assert kept.suppressed and kept.headline.people == 8 and kept.at == dt.date(2025, 12, 31)
    assert not figures_from_dict(internal.figures).suppressed
    # An erasure later leaves the published figures as they were.
    services.observed_erase(observed=ObservedPerson.objects.first(), user=staff)  # type: ignore[arg-type]
    published.refresh_from_db()
    assert figures_from_dict(published.figures).headline.people == 8


def test_a_dossier_before_the_lists_counts_nobody(
    club: Network, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_request(at=dt.date(2013, 12, 31), user=staff)
    dossier.refresh_from_db()
    assert dossier.status == "done"
    assert figures_from_dict(dossier.figures).headline.people in (0, None)


def test_a_dossier_in_the_future_is_refused(staff: User) -> None:
    with pytest.raises(ValidationError):
        services.dossier_request(at=dt.date.today() + dt.timedelta(days=2), user=staff)


@pytest.mark.parametrize("role", ROLES)
def test_dossiers_are_asked_by_staff_and_published_ones_read_by_all(
    dossiers: Any, client_for: Any, role: str
) -> None:
    published, internal = dossiers
    client = client_for(role)
    assert client.get(reverse("observatory:dossiers")).status_code == (200 if role == "staff" else 404)
    response = client.post(reverse("observatory:dossiers"), {"at": "2024-12-31"})
    assert response.status_code == (302 if role == "staff" else 404)
    pdf = client.get(reverse("observatory:dossier_file", args=[published.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    xlsx = client.get(reverse("observatory:dossier_file", args=[internal.pk, "xlsx"]))
    assert xlsx.status_code == (200 if role == "staff" else 404)
    for pk, fmt in ((999_999, "pdf"), (published.pk, "exe")):
        assert client.get(reverse("observatory:dossier_file", args=[pk, fmt])).status_code == 404


def test_the_public_page_lists_the_published_dossiers(dossiers: Any, client_for: Any) -> None:
    published, internal = dossiers
    page = client_for("anonymous").get(reverse("observatory:public")).content.decode()
    assert reverse("observatory:dossier_file", args=[published.pk, "pdf"]) in page
    assert reverse("observatory:dossier_file", args=[internal.pk, "pdf"]) not in page
