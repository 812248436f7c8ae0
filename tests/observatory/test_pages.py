"""The import pages walked with a browser's requests: upload, mapping and preview, the report,
the import, the departures, the review of a pair; bad files answered with a message, never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meute.networks.models import Network
from meute.observatory.models import ImportStatus, ListImport, ReviewPair, SourceRecord
from tests.observatory.conftest import ROWS, csv_bytes, xlsx_bytes


def post_file(
    client: Client, network: Network, data: bytes, name: str = "liste.csv", day: str = "2026-06-30"
) -> Any:
    return client.post(
        reverse("observatory:upload"),
        {
            "network": network.pk,
            "list_date": day,
            "lawful_basis": "public_task",
            "file": SimpleUploadedFile(name, data),
        },
    )


def mapping_post(imp: ListImport, action: str, **extra: str) -> dict[str, str]:
    field_of = {c: f for f, c in imp.mapping.items()}
    data = {f"col_{i}": field_of.get(i, "") for i in range(len(imp.headers))}
    return {**data, "action": action, **extra}


def test_a_manager_uploads_maps_checks_and_imports_a_list(
    club: Network, as_role: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_role("manager")
    rows = [*ROWS, ("DURAND", "Paul", "Garage", "123456789", "", "", "Tours")]
    response = post_file(client, club, xlsx_bytes(rows), "liste.xlsx")
    imp = ListImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "observatory:import", args=[imp.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Aperçu des premières lignes" in page and "Menuiserie Gaultier" in page
    assert 'value="surname" selected' in page  # the guessed mapping is proposed
    page = client.post(response["Location"], mapping_post(imp, "check")).content.decode()
    assert "Rapport de contrôle" in page and "clé de contrôle" in page and "D (SIRET)" in page
    page = client.post(response["Location"], mapping_post(imp, "import")).content.decode()
    assert "rien n&#x27;est importé" in page
    assert not SourceRecord.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], mapping_post(imp, "import", skip_errors="on"))
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.status == ImportStatus.IMPORTED and imp.n_records == 3 and imp.n_skipped == 1
    page = client.get(response["Location"]).content.decode()
    assert "Arrivées avec cette liste" in page


def test_the_same_file_uploaded_again_says_nothing_changed(club: Network, as_role: Any) -> None:
    client = as_role("staff")
    post_file(client, club, csv_bytes())
    imp = ListImport.objects.get()
    client.post(reverse("observatory:import", args=[imp.pk]), mapping_post(imp, "import"))
    response = post_file(client, club, csv_bytes())
    assert response["Location"] == reverse("observatory:import", args=[imp.pk])
    page = client.get(response["Location"]).content.decode()
    assert "déjà importé" in page
    assert ListImport.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "est vide"),  # Django's own refusal of an empty upload
        (b"\x00\x01binary" * 100, "un fichier binaire"),
        (
            csv_bytes([('=HYPERLINK("http://x")', "a", "", "", "", "", "")]),
            "ligne 2, colonne A : une formule",
        ),
        (csv_bytes(ROWS, ("Nom", "Prénom", "Nom", "a", "b", "c", "d")), "apparaît deux fois"),
    ],
    ids=["empty", "binary", "formula", "duplicated-header"],
)
def test_a_bad_file_gets_a_message_on_the_form(
    club: Network, as_role: Any, data: bytes, expected: str
) -> None:
    response = as_role("manager").post(
        reverse("observatory:upload"),
        {"network": club.pk, "list_date": "2026-06-30", "lawful_basis": "public_task", "file": SimpleUploadedFile("liste.csv", data)},
    )  # fmt: skip
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not ListImport.objects.exists()


def test_a_file_over_20_mb_is_refused_on_the_form(club: Network, as_role: Any, settings: Any) -> None:
    big = SimpleUploadedFile("liste.csv", b"a;b\r\n" * (4 * 1024 * 1024 + 1))
    response = as_role("staff").post(
        reverse("observatory:upload"),
        {"network": club.pk, "list_date": "2026-06-30", "lawful_basis": "public_task", "file": big},
    )
    assert response.status_code == 200 and "au-delà de la limite de 20 Mo" in response.content.decode()


def test_a_mapping_without_a_name_or_with_a_field_twice_is_refused(club: Network, as_role: Any) -> None:
    client = as_role("staff")
    post_file(client, club, csv_bytes())
    imp = ListImport.objects.get()
    url = reverse("observatory:import", args=[imp.pk])
    data = mapping_post(imp, "import", col_0="", col_1="")
    assert "Indiquez la colonne du nom" in client.post(url, data).content.decode()
    data = mapping_post(imp, "import", col_2="surname")
    assert "est déjà la colonne A" in client.post(url, data).content.decode()
    assert not SourceRecord.objects.exists()


def test_a_manager_confirms_departures(
    club: Network, as_role: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_role("manager")
    for rows, day in ((ROWS, "2026-01-31"), (ROWS[:2], "2026-06-30")):
        post_file(client, club, csv_bytes(rows), day=day)
        imp = ListImport.objects.order_by("-pk")[0]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("observatory:import", args=[imp.pk]), mapping_post(imp, "import"))
    page = client.get(reverse("observatory:import", args=[imp.pk])).content.decode()
    assert "Départs à confirmer" in page and "LEFEVRE" in page
    gone = SourceRecord.objects.get(
        surname="lefevre", list_import__list_date=dt.date(2026, 1, 31)
    ).observed_id
    response = client.post(reverse("observatory:departures", args=[imp.pk]), {"gone": [str(gone)]})
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.departures_confirmed_at is not None
    assert club.observed_memberships.get(observed_id=gone).end_date == dt.date(2026, 6, 30)


def test_staff_review_a_pair_side_by_side(
    club: Network, other_club: Network, as_role: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_role("staff")
    headers = ("Nom", "Prénom", "Entreprise", "Email")
    for network, row in (
        (club, ("MARTIN", "Jean", "Garage", "jm@x.fr")),
        (other_club, ("Martin", "Jean", "Sorel", "")),
    ):
        post_file(client, network, csv_bytes([row], headers))
        imp = ListImport.objects.order_by("-pk")[0]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("observatory:import", args=[imp.pk]), mapping_post(imp, "import"))
    pair = ReviewPair.objects.get()
    assert "martin" in client.get(reverse("observatory:review")).content.decode()
    page = client.get(reverse("observatory:pair", args=[pair.pk])).content.decode()
    assert "garage" in page and "sorel" in page and "identique" in page and "différent" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("observatory:pair", args=[pair.pk]), {"decision": "same"})
    assert response.status_code == 302
    assert len(set(SourceRecord.objects.values_list("observed_id", flat=True))) == 1
    observed = SourceRecord.objects.first().observed_id  # type: ignore[union-attr]
    page = client.get(reverse("observatory:person", args=[observed])).content.decode()
    assert page.count("Séparer cette fiche") == 2 and "liste.csv, ligne 2" in page
    assert client.post(reverse("observatory:pair", args=[pair.pk]), {"decision": "maybe"}).status_code == 302
