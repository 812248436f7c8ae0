"""`meute demo_load --scale sample|national` builds the national data set, the same for a seed; on it the
main pages run a bounded number of queries, whatever the number of rows (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from meute.accounts.models import Person, User
from meute.events.models import Event, Registration
from meute.networks.models import Membership, Network, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(db: None) -> None:
    call_command("demo_load", "--scale", "sample", "--seed", "7")


def test_the_sample_has_the_national_shape_a_thousand_times_smaller(sample: None) -> None:
    assert Person.objects.count() == 100
    assert Network.objects.count() == 3
    assert Membership.objects.count() == 400 - 100  # at most 3 networks a person here
    assert Event.objects.count() == 20
    assert Registration.objects.count() == 300


def test_the_same_seed_gives_the_same_data(sample: None) -> None:
    first = sorted(Network.objects.values_list("name", "territory"))
    people = sorted(Person.objects.values_list("first_name", "last_name", "trade"))
    Registration.objects.all().delete()
    Membership.objects.all().delete()
    Event.objects.all().delete()
    Network.objects.all().delete()
    Person.objects.all().delete()
    User.objects.all().delete()
    call_command("demo_load", "--scale", "sample", "--seed", "7")
    assert sorted(Network.objects.values_list("name", "territory")) == first
    assert sorted(Person.objects.values_list("first_name", "last_name", "trade")) == people


def test_a_second_run_changes_nothing(sample: None) -> None:
    call_command("demo_load", "--scale", "sample", "--seed", "7")
    assert Network.objects.count() == 3


@pytest.mark.parametrize(
    "page",
    ["/", "/reseaux/", "/reseaux/?q=export", "/reseaux/{slug}/", "/evenements/{event}/", "/sante/"],
)
def test_the_main_public_pages_run_a_bounded_number_of_queries(
    sample: None, client: Client, page: str, django_assert_max_num_queries: Any
) -> None:
    network = Network.objects.order_by("pk").first()
    event = Event.objects.order_by("pk").filter(audience="public").first() or Event.objects.first()
    assert network is not None and event is not None
    url = page.format(slug=network.slug, event=event.pk)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code in (200, 302, 404), url


def test_a_managers_member_list_runs_a_bounded_number_of_queries(
    sample: None, client: Client, django_assert_max_num_queries: Any
) -> None:
    network = Network.objects.order_by("pk").first()
    assert network is not None
    user = User.objects.order_by("pk").first()
    assert user is not None
    Membership.objects.filter(person=user.person, network=network).delete()
    Membership.objects.create(person=user.person, network=network, role=Role.PRESIDENT, status="active")
    client.force_login(user)
    for page in ("membres", "gestion"):
        with django_assert_max_num_queries(25):
            response = client.get(f"/reseaux/{network.slug}/{page}/")
        assert response.status_code == 200, page
