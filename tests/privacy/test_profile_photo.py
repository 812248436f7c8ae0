"""My profile: working languages and a photo that only I see, that goes with my account."""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from meute.accounts.models import User
from meute.privacy.selectors import person_data
from meute.privacy.services import account_erase

pytestmark = pytest.mark.django_db

BASE = {
    "first_name": "Claire",
    "last_name": "Moreau",
    "company": "",
    "job_title": "",
    "trade": "",
    "phone": "",
}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _image(kind: str = "PNG", size: tuple[int, int] = (40, 40)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=kind)
    ext = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[kind]
    return SimpleUploadedFile(f"moi.{ext}", out.getvalue(), content_type=f"image/{ext}")


def _post(client: Client, **extra: object):
    return client.post("/comptes/profil/modifier/", {**BASE, **extra})


def test_i_declare_my_working_languages_and_see_them_on_my_page(
    as_role: Callable[[str], Client], member: User
) -> None:
    client = as_role("member")
    assert _post(client, languages=["pt", "fr"]).status_code == 302
    member.person.refresh_from_db()
    assert member.person.languages == ["pt", "fr"]
    page = client.get("/comptes/profil/").content.decode()
    assert "français, portugais" in page
    assert _post(client, languages=["klingon"]).status_code == 400


def test_my_photo_is_mine_to_see_and_replace(as_role: Callable[[str], Client], member: User) -> None:
    client = as_role("member")
    assert client.get("/comptes/profil/photo/").status_code == 404  # none yet
    assert _post(client, photo=_image()).status_code == 302
    member.person.refresh_from_db()
    first = member.person.photo.name
    response = client.get("/comptes/profil/photo/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # Another member, and anonymous visitors, never get it: the address names no one.
    assert as_role("other_member").get("/comptes/profil/photo/").status_code == 404
    assert as_role("anonymous").get("/comptes/profil/photo/").status_code == 302
    storage = member.person.photo.storage
    with django_capture_on_commit():
        assert _post(client, photo=_image("JPEG")).status_code == 302
    member.person.refresh_from_db()
    assert member.person.photo.name != first and not storage.exists(first)


def test_a_photo_must_be_a_small_jpeg_or_png(as_role: Callable[[str], Client], member: User) -> None:
    client = as_role("member")
    not_an_image = SimpleUploadedFile("moi.png", b"%PDF-1.4 not an image", content_type="image/png")
    assert _post(client, photo=not_an_image).status_code == 400
    assert _post(client, photo=_image("GIF")).status_code == 400
    noise = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(noise, format="PNG")  # ~3 MB
    too_big = SimpleUploadedFile("moi.png", noise.getvalue(), content_type="image/png")
    assert "2 Mo" in _post(client, photo=too_big).content.decode()
    member.person.refresh_from_db()
    assert not member.person.photo


def test_my_photo_and_languages_are_in_my_export_and_go_when_i_erase_my_account(
    as_role: Callable[[str], Client], member: User
) -> None:
    client = as_role("member")
    assert _post(client, photo=_image(), languages=["en"]).status_code == 302
    member.person.refresh_from_db()
    person = member.person
    data = person_data(member, now=timezone.now())
    assert data["profile"]["languages"] == ["en"] and data["profile"]["photo"].startswith("photos/")
    storage, name = person.photo.storage, person.photo.name
    with django_capture_on_commit():
        account_erase(user=member)
    person.refresh_from_db()
    assert (person.photo.name or "", person.languages) == ("", []) and not storage.exists(name)


def django_capture_on_commit():
    """Run on-commit callbacks at the end of the block (pytest-django's test transaction never commits)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
