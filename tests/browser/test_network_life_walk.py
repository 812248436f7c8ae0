"""A board takes attendance; members answer the barometer and the chamber sees the aggregate."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meute.attendance.models import AttendanceRecord, AttendanceStatus
from meute.barometer.models import QUESTIONS, BarometerAnswer, BarometerReceipt, question_label
from meute.events.models import Event, EventKind
from meute.networks.models import Role
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, MembershipFactory, NetworkFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW = 60_000
MEMBERS = [
    ("Bruno", "Allard"),
    ("Chloé", "Bernard"),
    ("David", "Caron"),
    ("Emma", "Durand"),
    ("Fanny", "Evrard"),
    ("Gilles", "Fabre"),
]


def _account(email: str, first: str, last: str, **extra: Any) -> Any:
    user = UserFactory(email=email, first_name=first, last_name=last, **extra)
    PersonFactory(user=user, first_name=first, last_name=last, email=email)
    return user


def _log_in(page: Any, email: str) -> None:
    page.goto(page.base + "/comptes/connexion/", timeout=SLOW)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible(timeout=SLOW)


def _email(first: str) -> str:
    return f"{first.lower().replace('é', 'e')}@ruche.example"


def test_a_board_takes_attendance_and_the_chamber_sees_the_barometer(page: Any, browser: Any) -> None:
    page.set_default_timeout(SLOW)
    ruche = NetworkFactory(name="La Ruche", slug="la-ruche")
    president = _account("presidente@ruche.example", "Anne", "Roux")
    MembershipFactory(network=ruche, person=president.person, role=Role.PRESIDENT)
    for first, last in MEMBERS:
        user = _account(_email(first), first, last)
        MembershipFactory(network=ruche, person=user.person)
    _account("observatoire@cci.example", "Olivier", "Staff", is_staff=True)
    starts = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    meeting = Event.objects.create(
        network=ruche,
        title="Réunion de rentrée",
        kind=EventKind.MEETING,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )

    # The live server's first answer loads every module: on a busy machine, longer than the default timeout.
    page.goto(page.base + "/reseaux/", timeout=120_000)

    # The president takes attendance.
    _log_in(page, "presidente@ruche.example")
    page.goto(page.base + "/reseaux/la-ruche/reunions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Réunions de La Ruche")
    assert_accessible(page)
    page.get_by_role("link", name="Faire l'appel de « Réunion de rentrée »").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Présences : Réunion de rentrée")
    assert page.url.endswith(f"/reseaux/la-ruche/reunions/{meeting.pk}/presences/")
    assert_accessible(page)

    statuses = {
        "Anne Roux": "Présent(e)",
        "Bruno Allard": "Présent(e)",
        "Chloé Bernard": "Présent(e)",
        "David Caron": "Absent(e) sans excuse",
        "Emma Durand": "Excusé(e)",
        "Fanny Evrard": "Remplacé(e)",
        "Gilles Fabre": "Présent(e)",
    }
    for name, status in statuses.items():
        row = page.get_by_role("group", name=re.compile("^" + re.escape(name)))
        row.get_by_label(status, exact=True).check()
    page.get_by_label("Personne qui remplace Fanny Evrard").fill("Hugo Martin")
    page.get_by_role("button", name="Enregistrer la feuille de présence").click()
    expect(page.get_by_text("La feuille de présence est enregistrée.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Réunion de rentrée"))
    expect(row.get_by_role("cell")).to_have_text(
        [re.compile(r"\d{2}/\d{2}/\d{4}"), "4", "1", "1", "1", re.compile("Modifier")]
    )
    assert_accessible(page)

    # On a phone, the table scrolls inside its own box, which keyboard users can reach; the page does not.
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    box = page.locator(".table-scroll").first
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    if box.evaluate("b => b.scrollWidth > b.clientWidth + 1"):
        expect(box).to_have_attribute("role", "region")
        expect(box).to_have_attribute("tabindex", "0")
        expect(box).to_have_attribute("aria-label", re.compile(r"\w"))
    assert_accessible(page)
    page.set_viewport_size({"width": 1200, "height": 900})
    records = {
        r.person.full_name: r for r in AttendanceRecord.objects.filter(event=meeting).select_related("person")
    }
    assert len(records) == 7
    assert records["Fanny Evrard"].status == AttendanceStatus.SUBSTITUTE
    assert records["Fanny Evrard"].substitute_name == "Hugo Martin"
    assert records["David Caron"].status == AttendanceStatus.ABSENT

    # Five members answer the barometer, each in a browser of their own.
    for i, (first, _last) in enumerate(MEMBERS[:5]):
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR")
        try:
            member = context.new_page()
            member.set_default_timeout(SLOW)
            member.base = page.base
            _log_in(member, _email(first))
            member.goto(member.base + "/reseaux/la-ruche/conjoncture/")
            expect(member.get_by_role("heading", level=1)).to_have_text("La conjoncture vue par La Ruche")
            if i == 0:
                expect(
                    member.get_by_text(
                        "Aucun trimestre clos n'a encore de réponses au baromètre de ce réseau."
                    )
                ).to_be_visible()
                assert_accessible(member)
            member.get_by_role("link", name=re.compile("^Répondre pour")).click()
            expect(member.get_by_role("heading", level=1)).to_contain_text("Baromètre de La Ruche")
            if i == 0:
                assert_accessible(member)
            for name, choices in QUESTIONS:
                group = member.get_by_role("group", name=re.compile("^" + re.escape(question_label(name))))
                label = str(choices.choices[(i + len(name)) % len(choices.choices)][1])
                group.get_by_label(label, exact=True).check()
            member.get_by_role("button", name="Envoyer ma réponse anonyme").click()
            expect(member.get_by_text("Merci : votre réponse anonyme est enregistrée.")).to_be_visible()
            expect(member.get_by_role("link", name=re.compile("^Répondre pour"))).to_have_count(0)
            if i == 4:
                # The quarter is still open: neither figures nor a count, and the page says why.
                expect(member.get_by_role("table")).to_have_count(0)
                expect(
                    member.get_by_text(re.compile("ne seront publiés qu'après cette date"))
                ).to_be_visible()
                assert_accessible(member)
        finally:
            context.close()
    assert BarometerAnswer.objects.filter(network=ruche).count() == 5
    assert BarometerReceipt.objects.filter(network=ruche).count() == 5

    # The quarter closes: as if the calendar had moved on, the answers belong to a past quarter.
    BarometerAnswer.objects.filter(network=ruche).update(period="2025-T4")
    page.goto(page.base + "/reseaux/la-ruche/conjoncture/")
    expect(page.get_by_role("table", name=re.compile("^Réponses du trimestre T4 2025"))).to_contain_text(
        "5 réponses"
    )
    assert_accessible(page)

    # The chamber sees the territory's figures.
    page.get_by_role("button", name="Se déconnecter").click()
    _log_in(page, "observatoire@cci.example")
    page.goto(page.base + "/observatoire/conjoncture/")
    expect(page.get_by_role("heading", level=1)).to_have_text("La conjoncture du territoire")
    total = page.get_by_role("table", name=re.compile("^Réponses du territoire au trimestre"))
    expect(total).to_contain_text("5 réponses")
    expect(total).not_to_contain_text("moins de 5 réponses")
    expect(total.get_by_role("rowheader", name=question_label("morale"))).to_be_visible()
    by_network = page.get_by_role("table", name=re.compile("^Soldes d'opinion par réseau"))
    expect(by_network.get_by_role("row", name=re.compile("La Ruche"))).to_contain_text("5")
    expect(page.get_by_text("moins de 5 réponses", exact=True)).to_have_count(0)
    assert_accessible(page)
