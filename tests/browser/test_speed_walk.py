"""A speed-meeting evening, from registration to ratings: twelve people, one absentee, one re-plan."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meute.accounts.models import ConsentPurpose
from meute.events import services
from meute.events.models import (
    Audience,
    CheckIn,
    Event,
    EventKind,
    MeetingRating,
    PlanStatus,
    Registration,
    RotationPlan,
    Seat,
)
from meute.networks.models import Role
from tests.browser.conftest import assert_accessible
from tests.factories import (
    PASSWORD,
    ConsentFactory,
    MembershipFactory,
    NetworkFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOAD = 120_000  # the first answers of the live server, and the plan's computation, on a busy machine

PROFILES = [
    ("Expertise comptable pour artisans", "Des clients artisans du bâtiment"),
    ("Plomberie et chauffage", "Un expert-comptable et une assurance"),
    ("Assurance des entreprises", "Des artisans à assurer"),
    ("Électricité générale", "Un architecte et un comptable"),
    ("Architecture et maîtrise d'œuvre", "Des entreprises du bâtiment"),
    ("Communication et sites internet", "Des clients artisans"),
    ("Menuiserie sur mesure", "Des architectes et des décorateurs"),
    ("Conseil juridique aux entreprises", "Des dirigeants de PME"),
    ("Location d'engins de chantier", "Des entreprises de travaux publics"),
    ("Recrutement et intérim", "Des entreprises qui embauchent"),
    ("Décoration d'intérieur", "Des menuisiers et des artisans"),
    ("Transport et logistique", "Des industriels à livrer"),
]
FIRST_NAMES = [
    "Alice",
    "Bruno",
    "Chloé",
    "David",
    "Emma",
    "Fabien",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Julien",
    "Karine",
    "Louis",
]


def _account(email: str, first: str, last: str, **person: Any) -> Any:
    user = UserFactory(email=email, first_name=first, last_name=last)
    PersonFactory(user=user, first_name=first, last_name=last, email=email, **person)
    return user


def _log_in(page: Any, email: str) -> None:
    page.goto(page.base + "/comptes/connexion/", timeout=LOAD)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon espace")).to_be_visible(timeout=LOAD)


def test_a_speed_meeting_evening_is_planned_replanned_and_rated(page: Any, browser: Any) -> None:
    club = NetworkFactory(name="Club des Entrepreneurs", slug="club-des-entrepreneurs")
    organiser = _account("presidente@entrepreneurs.example", "Anne", "Roux")
    MembershipFactory(network=club, person=organiser.person, role=Role.PRESIDENT)
    people = []
    for k, (offers, seeks) in enumerate(PROFILES):
        user = _account(
            f"membre{k + 1}@entrepreneurs.example", FIRST_NAMES[k], "Martin", offers=offers, seeks=seeks
        )
        MembershipFactory(network=club, person=user.person)
        ConsentFactory(person=user.person, purpose=ConsentPurpose.MATCHMAKING, granted=True)
        people.append(user)
    start = timezone.now() + dt.timedelta(hours=1)
    event = Event(
        network=club,
        title="Rendez-vous express d'automne",
        kind=EventKind.SPEED,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        audience=Audience.MEMBERS,
        place="Château de Tours",
    )
    event.full_clean()
    event.save()
    event_url = page.base + event.get_absolute_url()

    # Eleven register through the service, the twelfth on the event page.
    for user in people[1:]:
        services.registration_create(event=event, person=user.person)
    participant = browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    them = participant.new_page()
    them.set_default_timeout(10_000)
    them.base = page.base
    _log_in(them, people[0].email)
    them.goto(event_url)
    assert_accessible(them)
    them.get_by_role("button", name="M'inscrire").click()
    expect(them.get_by_text("Vous êtes inscrit(e).", exact=True)).to_be_visible()
    expect(them.get_by_text("Votre programme sera publié avant l'événement.")).to_be_visible()
    assert Registration.objects.filter(event=event, status="confirmed").count() == 12

    # The organiser sets the format, computes the plan and publishes it.
    _log_in(page, organiser.email)
    page.goto(event_url)
    page.get_by_role("link", name="Organiser les rendez-vous (format, calcul, plan de tables)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation des rendez-vous express")
    expect(page.get_by_text("12 participants confirmés")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Personnes par table").fill("2")
    page.get_by_label("Nombre de tours").fill("4")
    page.get_by_label("Durée d'un tour (minutes)").fill("8")
    page.get_by_label("Pause entre les tours (minutes)").fill("2")
    page.get_by_role("button", name="Enregistrer le format").click()
    expect(page.get_by_text("Le format est enregistré.")).to_be_visible()
    page.get_by_role("button", name="Calculer le plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calcul du plan", timeout=LOAD)
    # The embedded task backend computes at once; a worker would leave the page refreshing itself.
    expect(page.get_by_role("link", name="Voir le plan et ses chiffres")).to_be_visible(timeout=LOAD)
    assert_accessible(page)
    page.get_by_role("link", name="Voir le plan et ses chiffres").click()
    expect(page.get_by_role("heading", name="Qualité du plan")).to_be_visible()
    expect(page.locator("caption", has_text="Tour 4")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publier et envoyer les programmes").click()
    expect(page.get_by_text("Le plan est publié : chaque participant reçoit son programme.")).to_be_visible()
    plan = RotationPlan.objects.get(event=event)
    assert plan.status == PlanStatus.PUBLISHED

    # A participant opens their agenda, downloads the PDF and the calendar file.
    them.goto(event_url)
    them.get_by_role("link", name="Mon programme de rendez-vous").click()
    expect(them.get_by_role("heading", level=1)).to_have_text("Mon programme de rendez-vous")
    expect(them.get_by_role("heading", name=re.compile(r"Tour 1 · .* · table \d+"))).to_be_visible()
    assert_accessible(them)
    pdf_link = them.get_by_role("link", name="Télécharger en PDF")
    pdf = them.request.get(page.base + pdf_link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    ics_link = them.get_by_role("link", name="Ajouter à mon agenda (.ics)").last
    ics = them.request.get(page.base + ics_link.get_attribute("href"))
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    body = ics.body().decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert body.count("BEGIN:VEVENT") == 4

    # At check-in, someone did not come: the organiser marks them absent and re-plans from round 2.
    absentee = Registration.objects.get(event=event, person=people[5].person)
    assert Seat.objects.filter(plan=plan, registration=absentee, round_no__gte=2).exists()
    page.goto(event_url)
    page.get_by_role("link", name="Pointage à l'accueil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pointage à l'accueil")
    assert_accessible(page)
    page.get_by_role("button", name="Fabien Martin est absent(e)").click()
    expect(page.get_by_text("Fabien Martin : Absent(e)")).to_be_visible()
    absentee.refresh_from_db()
    assert absentee.attendance == CheckIn.ABSENT
    page.get_by_role("link", name="← Rendez-vous express d'automne").click()
    page.get_by_role("link", name="Organiser les rendez-vous (format, calcul, plan de tables)").click()
    page.get_by_label("Re-planifier à partir du tour").select_option("2")
    page.get_by_role("button", name="Re-planifier").click()
    report = page.get_by_text(re.compile(r"Tours re-planifiés : (\d+) rencontres modifiées"))
    expect(report).to_be_visible(timeout=LOAD)
    changed = int(re.search(r"(\d+) rencontres modifiées", report.inner_text()).group(1))
    assert changed >= 3  # the absentee's three meetings of rounds 2 to 4 are gone
    assert_accessible(page)
    assert not Seat.objects.filter(plan=plan, registration=absentee, round_no__gte=2).exists()

    # The evening has begun: the participant rates a meeting.
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    them.goto(event_url)
    them.get_by_role("link", name="Noter mes rencontres").click()
    expect(them.get_by_role("heading", level=1)).to_have_text("Ce que mes rencontres m'ont apporté")
    assert_accessible(them)
    card = them.locator("ul.cards > li").first
    met = card.get_by_role("heading", level=2).inner_text()
    card.get_by_label("Oui").check()
    card.get_by_label("Une suite est prévue").check()
    card.get_by_role("button", name="Enregistrer").click()
    expect(them.get_by_text(f"Votre avis sur la rencontre avec {met} est enregistré.")).to_be_visible()
    expect(them.get_by_text("Déjà noté : vous pouvez modifier votre réponse.")).to_be_visible()
    assert_accessible(them)
    rating = MeetingRating.objects.get(rater__person=people[0].person)
    assert rating.useful and rating.follow_up and rating.other.person.full_name == met
    participant.close()
