"""Who may answer and see the barometer, for each role, and what the pages show.

Roles (tests/conftest.py and ./conftest.py): staff, manager (president of `club`),
other_manager (president of `other_club`), member (of `club`), other_member
(of `other_club`), anonymous. A page a role may not see answers 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meute.accounts.models import User
from meute.barometer.models import BarometerAnswer, BarometerReceipt
from meute.barometer.services import period_of, quarter_label
from meute.networks.models import Network

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]
LOGIN = reverse("accounts:login")
ANSWERS = {"activity": "up", "orders": "stable", "hiring": "hire", "cash": "tight", "morale": "optimistic"}
# Quarters long closed whatever day the tests run.
CLOSED, EARLIER = "2025-T4", "2025-T3"


def check(client: Client, url: str, status: int) -> None:
    response = client.get(url)
    if status == 302:
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next={url}"  # type: ignore[attr-defined]
    else:
        assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("manager", 200),
        ("other_manager", 404),
        ("member", 200),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_the_networks_barometer_is_for_its_members_managers_and_staff(
    client_for: ClientFor, club: Network, role: str, status: int
) -> None:
    check(client_for(role), reverse("barometer:network", args=[club.slug]), status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 404),
        ("manager", 200),
        ("other_manager", 404),
        ("member", 200),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_only_active_members_answer(client_for: ClientFor, club: Network, role: str, status: int) -> None:
    check(client_for(role), reverse("barometer:answer", args=[club.slug]), status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("manager", 404),
        ("other_manager", 404),
        ("member", 404),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_the_territorys_barometer_is_for_staff_only(client_for: ClientFor, role: str, status: int) -> None:
    check(client_for(role), reverse("barometer:territory"), status)


@pytest.mark.parametrize("role", ["other_member", "other_manager", "staff"])
def test_a_non_member_cannot_post_an_answer(client_for: ClientFor, club: Network, role: str) -> None:
    response = client_for(role).post(reverse("barometer:answer", args=[club.slug]), ANSWERS)
    assert response.status_code == 404
    assert not BarometerAnswer.objects.exists() and not BarometerReceipt.objects.exists()


def test_a_member_answers_once_then_is_told_so(client_for: ClientFor, club: Network, member: User) -> None:
    client = client_for("member")
    url = reverse("barometer:answer", args=[club.slug])
    response = client.post(url, ANSWERS)
    assert response.status_code == 302
    assert response.url == reverse("barometer:network", args=[club.slug])  # type: ignore[attr-defined]
    assert BarometerAnswer.objects.count() == 1
    again = client.post(url, {**ANSWERS, "activity": "down"}, follow=True)
    assert "Vous avez déjà répondu" in again.content.decode()
    assert BarometerAnswer.objects.count() == 1
    page = client.get(reverse("barometer:network", args=[club.slug])).content.decode()
    assert "Répondre pour" not in page


def test_a_missing_answer_gets_a_message_naming_the_question(client_for: ClientFor, club: Network) -> None:
    response = client_for("member").post(
        reverse("barometer:answer", args=[club.slug]), {k: v for k, v in ANSWERS.items() if k != "hiring"}
    )
    assert response.status_code == 200
    assert "Intentions d&#x27;embauche : choisissez une réponse." in response.content.decode()
    assert not BarometerAnswer.objects.exists()


def test_a_meeting_of_another_network_gets_a_clear_message(
    client_for: ClientFor, club: Network, other_club: Network
) -> None:
    from meute.events.models import Event, EventKind

    now = timezone.now()
    foreign = Event.objects.create(
        network=other_club, title="x", kind=EventKind.MEETING, starts_at=now, ends_at=now
    )
    response = client_for("member").post(
        reverse("barometer:answer", args=[club.slug]), {**ANSWERS, "event": foreign.pk}
    )
    assert "Rencontre : choisissez une rencontre de ce réseau, ce trimestre." in response.content.decode()
    assert not BarometerAnswer.objects.exists()


def test_the_form_puts_each_question_in_a_fieldset_with_a_legend(
    client_for: ClientFor, club: Network
) -> None:
    html = client_for("member").get(reverse("barometer:answer", args=[club.slug])).content.decode()
    assert html.count("<fieldset") == 5 and html.count("<legend") == 5
    # no inline style or script (the CSP forbids them); scripts come from files
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_a_closed_quarter_shows_moins_de_5_reponses_then_the_shares(
    client_for: ClientFor, club: Network
) -> None:
    for _ in range(4):
        BarometerAnswer.objects.create(network=club, period=CLOSED, **ANSWERS)
    url = reverse("barometer:network", args=[club.slug])
    html = client_for("manager").get(url).content.decode()
    hidden = '<td colspan="5">moins de 5 réponses</td>'
    assert hidden in html and "<meter" not in html
    BarometerAnswer.objects.create(network=club, period=CLOSED, **ANSWERS)
    html = client_for("manager").get(url).content.decode()
    assert hidden not in html
    assert '<meter min="0" max="100" value="100"' in html and "<caption>" in html and 'scope="row"' in html
    assert "— 5 réponses</caption>" in html
    assert "style=" not in html


def test_the_current_quarter_shows_neither_figures_nor_a_count_and_says_why(
    client_for: ClientFor, club: Network
) -> None:
    # The review's probe: with the quarter shown live, going from 5 to 6 answers gave the sixth
    # person's answers by difference. The open quarter now shows nothing until it closes.
    period = period_of(timezone.localdate())
    for _ in range(5):
        BarometerAnswer.objects.create(network=club, period=period, **ANSWERS)
    client = client_for("member")
    url = reverse("barometer:network", args=[club.slug])
    before = client.get(url)
    BarometerAnswer.objects.create(
        network=club,
        period=period,
        activity="down",
        orders="down",
        hiring="reduce",
        cash="tight",
        morale="pessimistic",
    )
    after = client.get(url)
    assert before.context["quarters"] == after.context["quarters"] == []
    html = after.content.decode()
    assert "<meter" not in html and "— 6 réponses" not in html and "— 5 réponses" not in html
    assert f"Le trimestre en cours ({quarter_label(period)})" in html
    assert (
        "ne seront publiés qu&#x27;après cette date" in html
        or "ne seront publiés qu'après cette date" in html
    )


def test_the_territory_page_shows_networks_and_sectors_of_closed_quarters(
    client_for: ClientFor, club: Network, other_club: Network
) -> None:
    for network, n in ((club, 5), (other_club, 2)):
        for _ in range(n):
            BarometerAnswer.objects.create(network=network, period=CLOSED, sector="F", **ANSWERS)
    BarometerAnswer.objects.create(network=club, period=EARLIER, sector="F", **ANSWERS)
    current = period_of(timezone.localdate())
    for _ in range(8):
        BarometerAnswer.objects.create(network=other_club, period=current, sector="G", **ANSWERS)
    client = client_for("staff")
    response = client.get(reverse("barometer:territory"))
    html = response.content.decode()
    assert response.context["period"] == CLOSED
    assert club.name in html and other_club.name not in html
    assert "1 réseau a moins de 5 réponses" in html
    assert ">moins de 5 réponses</td>" in html  # EARLIER in the table over time
    assert [g.label for g in response.context["over_time"]] == [CLOSED, EARLIER]
    assert f"trimestre en cours ({quarter_label(current)})" in html
    assert "style=" not in html
    older = client.get(reverse("barometer:territory"), {"periode": EARLIER}).content.decode()
    assert "Le trimestre T3 2025" in older
    # The open quarter cannot be asked for: it is not among the choices.
    refused = client.get(reverse("barometer:territory"), {"periode": current})
    assert refused.context["form"].errors and refused.context["period"] == CLOSED
