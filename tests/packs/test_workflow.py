"""The team page and the pack's workflow: reasons, invitations, a decline re-solved, outcomes, documents, mails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meute.packs import selectors, services
from meute.packs.models import Collaboration, InvitationStatus, TenderStatus
from meute.packs.tasks import send_reminders
from meute.reference.models import NafCode
from tests.factories import OrganisationFactory
from tests.packs.conftest import make_firm

pytestmark = pytest.mark.django_db


def team_of(tender):
    proposal = selectors.tender_team(tender=tender, alternatives=0)
    return {line.lot.code: line.firm.name for line in proposal.lines}, proposal


def test_the_team_covers_each_lot_with_reasons_in_sentences(tender):
    team, proposal = team_of(tender)
    assert team == {
        "1": "Martin Maçonnerie",
        "2": "Dupont Charpente",
        "3": "Dupont Charpente",
        "4": "Amboise Électricité",
    }
    assert proposal.gap == 0 and proposal.cost == pytest.approx(proposal.lower_bound)
    roof = proposal.lines[2]
    assert roof.sentence == "Dupont Charpente : couverture, RGE jusqu'en 2028, 0 km."
    # Chinon Toitures' RGE expired in 2020: it does not count.
    assert roof.left_out == ["Chinon Toitures (pas de qualification RGE valable)"]


def test_weights_read_from_the_page_change_the_team(tender, client_for):
    url = reverse("packs:tender", args=["club", tender.pk])
    page = client_for("member").get(
        url, {"radius_km": 15, "capacity_share": 0.3, "firm_cost": 15, "together_bonus": 10}
    )
    html = page.content.decode()
    # Amboise is 22 km from Tours: beyond 15 km no firm takes the electricity lot.
    assert "Aucune équipe du groupement ne couvre tous les lots." in html
    assert "aucune entreprise qualifiée n&#x27;est à moins de 15 km du chantier" in html
    tender.refresh_from_db()
    assert tender.radius_km == 45  # reading with other weights saves nothing


def test_a_firms_own_radius_is_a_hard_rule(tender, cluster):
    make_firm(tender.network, "Tours Élec", "37261", ["electricite"], radius_km=30)
    team, _ = team_of(tender)
    assert team["4"] == "Tours Élec"
    cluster["electric"].radius_km = 10  # Amboise is 22 km away
    cluster["electric"].save()
    _, proposal = team_of(tender)
    assert proposal.lines[3].left_out == ["Amboise Électricité (hors de son rayon d’intervention)"]


def test_no_team_names_the_lot_and_the_directorys_firms_outside_the_cluster(tender, cluster):
    cluster["member"].certifications.all().delete()
    naf = NafCode.objects.filter(class_code="43.91").first()
    OrganisationFactory(name="Couvreurs de Loire", naf=naf)
    _, proposal = team_of(tender)
    assert not proposal.found
    (gap,) = proposal.gaps
    assert gap.lot.code == "3"
    assert gap.sentence == (
        "2 entreprises font « Couverture » mais aucune n'a la qualification RGE valable à la date limite"
    )
    assert [o.name for o in gap.outside] == ["Couvreurs de Loire"]


def invite(tender):
    return services.team_invite(tender=tender, respond_by=tender.deadline.date() - dt.timedelta(days=5))


def test_inviting_saves_the_team_and_mails_each_firms_contact(
    tender, cluster, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations = invite(tender)
    tender.refresh_from_db()
    assert tender.status == TenderStatus.INVITED
    assert {i.firm.name for i in invitations} == {
        "Martin Maçonnerie",
        "Dupont Charpente",
        "Amboise Électricité",
    }
    assert dict(tender.lots.values_list("code", "firm__organisation__name"))["3"] == "Dupont Charpente"
    # Only the two firms with a contact get a mail (immediate tasks, on commit).
    assert sorted(m.to[0] for m in mail.outbox) == ["membre@club.example", "president@club.example"]
    assert "Rénovation de la mairie" in mail.outbox[0].subject
    with pytest.raises(ValidationError):
        invite(tender)


def test_the_answer_date_is_before_the_deadline(tender):
    with pytest.raises(ValidationError):
        services.team_invite(tender=tender, respond_by=tender.deadline.date() + dt.timedelta(days=1))


def test_a_decline_re_solves_without_that_firm_and_keeps_those_who_accepted(tender, cluster):
    invite(tender)
    second = make_firm(tender.network, "Loches Électricité", "37132", ["electricite"])
    by_name = {i.firm.name: i for i in tender.invitations.all()}
    services.invitation_respond(invitation=by_name["Dupont Charpente"], accept=True)
    new = services.invitation_respond(invitation=by_name["Amboise Électricité"], accept=False)
    assert [i.firm_id for i in new] == [second.pk]
    lots = dict(tender.lots.values_list("code", "firm__organisation__name"))
    assert lots == {
        "1": "Martin Maçonnerie",
        "2": "Dupont Charpente",
        "3": "Dupont Charpente",
        "4": "Loches Électricité",
    }
    assert tender.invitations.get(firm=cluster["electric"]).status == InvitationStatus.DECLINED
    with pytest.raises(ValidationError):
        services.invitation_respond(invitation=by_name["Dupont Charpente"], accept=False)


def test_a_decline_that_leaves_a_lot_uncovered_says_so_on_the_page(tender, cluster, client_for):
    invite(tender)
    electric = tender.invitations.get(firm=cluster["electric"])
    assert services.invitation_respond(invitation=electric, accept=False) == []
    assert tender.lots.get(code="4").firm is None
    html = client_for("manager").get(reverse("packs:tender", args=["club", tender.pk])).content.decode()
    assert "Aucune équipe du groupement ne couvre tous les lots." in html


def accept_all(tender):
    for invitation in tender.invitations.all():
        services.invitation_respond(invitation=invitation, accept=True)


def test_submitting_needs_every_acceptance_and_a_lead_then_an_outcome_feeds_collaborations(tender, cluster):
    invite(tender)
    with pytest.raises(ValidationError, match="accepté"):
        services.tender_set_status(tender=tender, status=TenderStatus.SUBMITTED)
    accept_all(tender)
    with pytest.raises(ValidationError, match="mandataire"):
        services.tender_set_status(tender=tender, status=TenderStatus.SUBMITTED)
    services.lead_choose(tender=tender, firm=cluster["manager"])
    services.tender_set_status(tender=tender, status=TenderStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="Passage impossible"):
        services.tender_set_status(tender=tender, status=TenderStatus.DRAFT)
    services.outcome_record(tender=tender, won=True)
    assert dict(tender.invitations.values_list("firm__organisation__name", "amount_won_keur")) == {
        "Dupont Charpente": 140,
        "Martin Maçonnerie": 100,
        "Amboise Électricité": 40,
    }
    assert Collaboration.objects.filter(tender=tender).count() == 3
    # The next tender's reasons know they worked together.
    nxt = services.tender_create(
        network=tender.network,
        person=None,
        title="Suite",
        buyer="Ville de Tours",
        commune=tender.commune,
        deadline=timezone.now() + dt.timedelta(days=40),
        lots=[
            {"code": "A", "trade": "gros_oeuvre", "amount_keur": 50},
            {"code": "B", "trade": "charpente", "amount_keur": 50},
        ],
    )
    _, proposal = team_of(nxt)
    assert proposal.lines[0].sentence == (
        "Martin Maçonnerie : gros œuvre, maçonnerie, 6 km, a déjà travaillé une fois avec Dupont Charpente."
    )


def test_a_lost_tender_records_no_collaboration(tender, cluster):
    invite(tender)
    accept_all(tender)
    services.lead_choose(tender=tender, firm=cluster["member"])
    services.tender_set_status(tender=tender, status=TenderStatus.SUBMITTED)
    services.outcome_record(tender=tender, won=False)
    assert not Collaboration.objects.exists()


def test_a_declared_collaboration_counts_once_both_firms_said_so(tender, cluster):
    row = services.collaboration_declare(firm=cluster["manager"], other=cluster["electric"], year=2025)
    assert not row.counts and not selectors.collaboration_counts(network=tender.network)
    row = services.collaboration_declare(firm=cluster["electric"], other=cluster["manager"], year=2025)
    assert row.counts and sum(selectors.collaboration_counts(network=tender.network).values()) == 1


def test_documents_have_type_and_size_limits(tender, member):
    ok = services.document_upload(
        tender=tender, person=member.person, kind="memoire", upload=SimpleUploadedFile("m.pdf", b"%PDF")
    )
    assert ok.size == 4
    with pytest.raises(ValidationError, match="Formats acceptés"):
        services.document_upload(
            tender=tender, person=None, kind="other", upload=SimpleUploadedFile("x.exe", b"MZ")
        )
    big = SimpleUploadedFile("big.pdf", b"0" * (services.DOCUMENT_MAX_BYTES + 1))
    with pytest.raises(ValidationError, match="10 Mo"):
        services.document_upload(tender=tender, person=None, kind="other", upload=big)


def test_the_deadline_as_ics(tender, client_for):
    response = client_for("member").get(reverse("packs:ics", args=["club", tender.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Date limite : Rénovation de la mairie" in body
    assert f"UID:tender-{tender.pk}@meute" in body


def test_reminders_go_to_pending_firms_on_their_answer_day(tender, cluster):
    invite(tender)
    mail.outbox.clear()
    services.invitation_respond(invitation=tender.invitations.get(firm=cluster["manager"]), accept=True)
    tender.refresh_from_db()
    assert send_reminders.call(tender.respond_by.isoformat()) == 1
    assert mail.outbox[0].to == ["membre@club.example"]
    assert "réponse est attendue" in mail.outbox[0].subject


def test_the_checklist_is_ticked_on_the_page(tender, client_for):
    item = tender.checklist.first()
    client_for("member").post(reverse("packs:checklist", args=["club", tender.pk, item.pk]), {"done": "1"})
    item.refresh_from_db()
    assert item.done


def test_the_daily_command_queues_reminders_and_closings(tender, cluster, capsys):
    from django.core.management import call_command

    invite(tender)
    mail.outbox.clear()
    tender.refresh_from_db()
    call_command("packs_daily", "--day", tender.respond_by.isoformat())
    assert "reminders SUCCESSFUL" in capsys.readouterr().out
    assert sorted(m.to[0] for m in mail.outbox) == ["membre@club.example", "president@club.example"]


def test_the_clusters_figures_count_its_tenders_and_what_its_firms_won(tender, cluster, client_for):
    invite(tender)
    accept_all(tender)
    services.lead_choose(tender=tender, firm=cluster["manager"])
    services.tender_set_status(tender=tender, status=TenderStatus.SUBMITTED)
    services.outcome_record(tender=tender, won=True)
    figures = selectors.cluster_figures(network=tender.network)
    assert (figures.tenders, figures.won, figures.lost, figures.amount_won_keur) == (1, 1, 0, 280)
    assert [(f.name, f.packs_won, f.amount_keur) for f in figures.firms] == [
        ("Dupont Charpente", 1, 140),
        ("Martin Maçonnerie", 1, 100),
        ("Amboise Électricité", 1, 40),
    ]
    assert dict(figures.by_status)["Gagné"] == 1
    # Managers see what each firm won; members see the totals only.
    page = client_for("manager").get(f"/reseaux/{tender.network.slug}/marches/").content.decode()
    assert "280 k€ obtenus" in page and "Martin Maçonnerie" in page
    page = client_for("member").get(f"/reseaux/{tender.network.slug}/marches/").content.decode()
    assert "280 k€ obtenus" in page and "Montants obtenus par entreprise" not in page


def test_another_clusters_wins_do_not_count(tender, foreign_tender):
    foreign_tender.status = TenderStatus.WON
    foreign_tender.save(update_fields=["status"])
    figures = selectors.cluster_figures(network=tender.network)
    assert (figures.tenders, figures.won, figures.amount_won_keur, figures.firms) == (1, 0, 0, [])
