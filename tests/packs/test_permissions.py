"""Every packs page for each role: staff, cluster manager, member firm, member of another
network, anonymous. Whoever may not see a page gets a 404, as do ids of another cluster."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meute.packs import services
from meute.packs.models import PackDocument, Tender

pytestmark = pytest.mark.django_db

SEE = {"staff": 200, "manager": 200, "member": 200, "other_member": 404, "anonymous": 404}
RUN = {"staff": 302, "manager": 302, "member": 404, "other_member": 404, "anonymous": 404}
ROLES = list(SEE)


def pages(tender: Tender) -> dict[str, str]:
    slug, pk = tender.network.slug, tender.pk
    return {
        "tenders": reverse("packs:tenders", args=[slug]),
        "firms": reverse("packs:firms", args=[slug]),
        "tender_new": reverse("packs:tender_new", args=[slug]),
        "tender_import": reverse("packs:tender_import", args=[slug]),
        "tender": reverse("packs:tender", args=[slug, pk]),
        "ics": reverse("packs:ics", args=[slug, pk]),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["tenders", "firms", "tender_new", "tender_import", "tender", "ics"])
def test_cluster_pages_are_for_its_members_and_staff(client_for, tender, role, page):
    assert client_for(role).get(pages(tender)[page]).status_code == SEE[role]


@pytest.mark.parametrize("role", ["staff", "manager", "member", "other_member"])
@pytest.mark.parametrize(
    "name", ["tender", "ics", "weights", "invite", "answer", "lead", "status", "document_upload"]
)
def test_a_tender_id_of_another_cluster_answers_404_under_this_clusters_address(
    client_for, tender, foreign_tender, role, name
):
    url = reverse(f"packs:{name}", args=[tender.network.slug, foreign_tender.pk])
    client = client_for(role)
    response = (
        client.get(url) if name in ("tender", "ics") else client.post(url, {"respond_by": "2030-01-01"})
    )
    assert response.status_code == 404


def test_the_other_networks_member_sees_their_own_tender_but_not_under_our_address(
    client_for, foreign_tender
):
    client = client_for("other_member")
    assert client.get(reverse("packs:tender", args=["other-club", foreign_tender.pk])).status_code == 200
    assert client.get(reverse("packs:tender", args=["club", foreign_tender.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_weights_are_saved_by_who_runs_the_pack(client_for, tender, role):
    url = reverse("packs:weights", args=["club", tender.pk])
    data = {"radius_km": 30, "capacity_share": 0.5, "firm_cost": 20, "together_bonus": 5}
    assert client_for(role).post(url, data).status_code == RUN[role]
    tender.refresh_from_db()
    assert (tender.radius_km == 30) is (RUN[role] == 302)


@pytest.mark.parametrize("role", ROLES)
def test_invitations_are_sent_by_who_runs_the_pack(client_for, tender, role):
    url = reverse("packs:invite", args=["club", tender.pk])
    respond_by = (tender.deadline.date() - dt.timedelta(days=3)).isoformat()
    assert client_for(role).post(url, {"respond_by": respond_by}).status_code == RUN[role]
    assert tender.invitations.exists() is (RUN[role] == 302)


def test_the_member_who_entered_a_tender_runs_its_pack(client_for, tender, member):
    tender.created_by = member.person
    tender.save()
    url = reverse("packs:weights", args=["club", tender.pk])
    data = {"radius_km": 30, "capacity_share": 0.5, "firm_cost": 20, "together_bonus": 5}
    assert client_for("member").post(url, data).status_code == 302


@pytest.fixture
def invited(tender: Tender) -> Tender:
    services.team_invite(tender=tender, respond_by=tender.deadline.date() - dt.timedelta(days=3))
    return tender


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 404), ("manager", 302), ("member", 302), ("other_member", 404), ("anonymous", 404)],
)
def test_only_an_invited_firm_answers_its_invitation(client_for, invited, role, status):
    # staff answers for no firm; the manager's and the member's firms are both in the team.
    url = reverse("packs:answer", args=["club", invited.pk])
    assert client_for(role).post(url, {"answer": "accept"}).status_code == status


def test_a_member_without_a_firm_profile_cannot_answer(client, invited, outsider_firm_user):
    client.force_login(outsider_firm_user, backend="django.contrib.auth.backends.ModelBackend")
    assert (
        client.post(reverse("packs:answer", args=["club", invited.pk]), {"answer": "accept"}).status_code
        == 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_lead_and_status_are_for_who_runs_the_pack(client_for, invited, cluster, role):
    for invitation in invited.invitations.all():
        services.invitation_respond(invitation=invitation, accept=True)
    lead = client_for(role).post(
        reverse("packs:lead", args=["club", invited.pk]), {"firm": cluster["member"].pk}
    )
    assert lead.status_code == RUN[role]
    status = client_for(role).post(
        reverse("packs:status", args=["club", invited.pk]), {"status": "submitted"}
    )
    assert status.status_code == RUN[role]
    invited.refresh_from_db()
    assert (invited.status == "submitted") is (RUN[role] == 302)


@pytest.mark.parametrize("role", ROLES)
def test_documents_and_checklist_are_for_the_clusters_members(client_for, tender, role, member):
    expected = {200: 302, 404: 404}[SEE[role]]
    upload = SimpleUploadedFile("memoire.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client = client_for(role)
    url = reverse("packs:document_upload", args=["club", tender.pk])
    assert client.post(url, {"kind": "memoire", "file": upload}).status_code == expected
    item = tender.checklist.first()
    assert (
        client.post(reverse("packs:checklist", args=["club", tender.pk, item.pk]), {"done": "1"}).status_code
        == expected
    )
    doc = PackDocument.objects.create(
        tender=tender,
        kind="other",
        file=SimpleUploadedFile("a.pdf", b"x"),
        name="a.pdf",
        size=1,
        uploaded_by=member.person,
    )
    download = client.get(reverse("packs:document", args=["club", tender.pk, doc.pk]))
    assert download.status_code == SEE[role]


def test_a_document_of_another_tender_answers_404(client_for, tender, foreign_tender, other_member):
    doc = PackDocument.objects.create(
        tender=foreign_tender, kind="other", file=SimpleUploadedFile("b.pdf", b"x"), name="b.pdf", size=1
    )
    assert (
        client_for("manager").get(reverse("packs:document", args=["club", tender.pk, doc.pk])).status_code
        == 404
    )


def test_turnovers_are_for_the_clusters_managers(client_for, tender):
    url = reverse("packs:firms", args=["club"])
    manager_page = client_for("manager").get(url).content.decode()
    member_page = client_for("member").get(url).content.decode()
    assert "Chiffre d'affaires (k€)" in manager_page and "<td>1000</td>" in manager_page
    assert "Chiffre d'affaires" not in member_page and "<td>1000</td>" not in member_page
    assert "250 k€ – 1 M€" not in member_page and "1 – 5 M€" in member_page
    team = reverse("packs:tender", args=["club", tender.pk])
    assert "(1000 k€)" in client_for("manager").get(team).content.decode()
    assert "(1000 k€)" not in client_for("member").get(team).content.decode()
