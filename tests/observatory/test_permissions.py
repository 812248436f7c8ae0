"""Every observatory page for each role: CCI staff, the network's manager, another network's
manager, a member, a member of another network, anonymous. Lists are for staff and the network's
own managers; the review queue, observed people and erasure for staff only. Whoever may not see
a page, and every guessed id, gets a 404. Imported people never show to members."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.networks.models import Network
from meute.observatory import services
from meute.observatory.models import ListImport, ObservedPerson, ReviewPair, SourceRecord
from tests.observatory.conftest import csv_bytes

ROLES = ("staff", "manager", "other_manager", "member", "other_member", "anonymous")
IMPORTERS = {"staff", "manager", "other_manager"}  # someone who manages a network
CLUB_IMPORTERS = {"staff", "manager"}
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
def world(
    club: Network, other_club: Network, staff: User, django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    """An imported list of each network (a pair to review across them), and a pending club list."""
    imports = {}
    for network, row in (
        (club, ("CHAUVINEAU", "Jean", "Garage", "jm@x.fr")),
        (other_club, ("Chauvineau", "Jean", "Sorel", "")),
    ):
        imp = services.list_import_upload(
            network=network,
            user=staff,
            file_name="l.csv",
            data=csv_bytes([row], HEADERS),
            list_date=dt.date(2026, 1, 31),
        )
        with django_capture_on_commit_callbacks(execute=True):
            imports[network.slug] = services.list_import_confirm(
                list_import=imp, user=staff, mapping=imp.mapping
            )
    pending = services.list_import_upload(
        network=club, user=staff, file_name="p.csv", data=csv_bytes(), list_date=dt.date(2026, 6, 30)
    )
    pair = ReviewPair.objects.get()
    record = SourceRecord.objects.get(list_import=imports["club"])
    return {
        "import": imports["club"],
        "pending": pending,
        "pair": pair,
        "record": record,
        "observed": record.observed,
    }


def expect(role: str, allowed: set[str], ok: int) -> int:
    return ok if role in allowed else 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["imports", "upload"])
def test_list_pages_are_for_whoever_manages_a_network(
    world: Any, client_for: Any, role: str, name: str
) -> None:
    assert client_for(role).get(reverse(f"observatory:{name}")).status_code == expect(role, IMPORTERS, 200)


@pytest.mark.parametrize("role", ROLES)
def test_a_networks_import_is_for_staff_and_its_own_managers(world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    for imp in (world["import"], world["pending"]):
        assert client.get(reverse("observatory:import", args=[imp.pk])).status_code == expect(
            role, CLUB_IMPORTERS, 200
        )


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_and_its_managers_discard_or_confirm_departures(
    world: Any, client_for: Any, role: str
) -> None:
    client = client_for(role)
    response = client.post(reverse("observatory:departures", args=[world["import"].pk]), {"gone": []})
    assert response.status_code == expect(role, CLUB_IMPORTERS, 302)
    response = client.post(reverse("observatory:import_discard", args=[world["pending"].pk]))
    assert response.status_code == expect(role, CLUB_IMPORTERS, 302)
    world["pending"].refresh_from_db()
    assert (world["pending"].status == "discarded") == (role in CLUB_IMPORTERS)


@pytest.mark.parametrize("role", ROLES)
def test_a_pending_list_is_mapped_only_by_staff_and_its_managers(
    world: Any, client_for: Any, role: str
) -> None:
    imp = world["pending"]
    data = {f"col_{c}": f for f, c in imp.mapping.items()} | {"action": "import"}
    response = client_for(role).post(reverse("observatory:import", args=[imp.pk]), data)
    assert response.status_code == expect(role, CLUB_IMPORTERS, 302)
    assert SourceRecord.objects.filter(list_import=imp).exists() == (role in CLUB_IMPORTERS)


@pytest.mark.parametrize("role", ROLES)
def test_review_and_people_are_for_staff_only(world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    pair, observed = world["pair"], world["observed"]
    staff_only = {"staff"}
    assert client.get(reverse("observatory:review")).status_code == expect(role, staff_only, 200)
    assert client.get(reverse("observatory:pair", args=[pair.pk])).status_code == expect(
        role, staff_only, 200
    )
    assert client.get(reverse("observatory:person", args=[observed.pk])).status_code == expect(
        role, staff_only, 200
    )
    if role != "staff":
        assert (
            client.post(reverse("observatory:pair", args=[pair.pk]), {"decision": "same"}).status_code == 404
        )
        assert client.post(reverse("observatory:pair_undo", args=[pair.pk])).status_code == 404
        url = reverse("observatory:detach", args=[observed.pk, world["record"].pk])
        assert client.post(url).status_code == 404
        assert client.post(reverse("observatory:erase", args=[observed.pk])).status_code == 404
        pair.refresh_from_db()
        assert pair.decision == "" and ObservedPerson.objects.filter(pk=observed.pk).exists()


def test_staff_may_erase_an_observed_person(world: Any, client_for: Any) -> None:
    observed = world["observed"]
    assert client_for("staff").post(reverse("observatory:erase", args=[observed.pk])).status_code == 302
    assert not ObservedPerson.objects.filter(pk=observed.pk).exists()
    assert not SourceRecord.objects.filter(pk=world["record"].pk).exists()


@pytest.mark.parametrize("role", ["staff", "manager", "other_manager"])
def test_guessed_ids_answer_404(world: Any, client_for: Any, role: str) -> None:
    client = client_for(role)
    for name in ("import", "pair", "person"):
        assert client.get(reverse(f"observatory:{name}", args=[999_999])).status_code == 404
    for name in ("import_discard", "departures", "pair_undo", "erase"):
        assert client.post(reverse(f"observatory:{name}", args=[999_999])).status_code == 404
    # A record of another person under this person's address.
    other = SourceRecord.objects.exclude(observed=world["observed"]).first()
    assert other is not None
    url = reverse("observatory:detach", args=[world["observed"].pk, other.pk])
    assert client.post(url).status_code == 404


def test_a_manager_cannot_upload_for_another_network(world: Any, client_for: Any, club: Network) -> None:
    before = ListImport.objects.count()
    response = client_for("other_manager").post(
        reverse("observatory:upload"),
        {"network": club.pk, "list_date": "2026-06-30", "lawful_basis": "public_task",
         "file": SimpleUploadedFile("l.csv", csv_bytes())},
    )  # fmt: skip
    assert response.status_code == 200 and ListImport.objects.count() == before


def test_a_manager_sees_only_the_lists_of_their_networks(world: Any, client_for: Any) -> None:
    page = client_for("other_manager").get(reverse("observatory:imports")).content.decode()
    assert reverse("observatory:import", args=[world["import"].pk]) not in page
    page = client_for("manager").get(reverse("observatory:imports")).content.decode()
    assert reverse("observatory:import", args=[world["import"].pk]) in page


@pytest.mark.parametrize("role", ROLES)
def test_imported_people_without_an_account_never_show_in_the_networks_pages(
    world: Any, client_for: Any, club: Network, role: str
) -> None:
    client = client_for(role)
    for url in (
        reverse("networks:directory"),
        reverse("networks:detail", args=[club.slug]),
        reverse("networks:members", args=[club.slug]),
    ):
        response = client.get(url)
        assert response.status_code in (200, 302, 404)
        assert "chauvineau" not in response.content.decode().casefold()
    if role == "member":  # the control: the members page does list the network's members
        assert "Moreau" in client.get(reverse("networks:members", args=[club.slug])).content.decode()
