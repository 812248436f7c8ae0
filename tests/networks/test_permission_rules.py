"""Permission rules each side of their condition, found missing by mutation testing."""

from __future__ import annotations

import pytest

from meute.accounts.models import User
from meute.networks.models import Network
from meute.networks.permissions import can_export_contacts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("neighbour")]


def test_contact_export_needs_both_a_manager_and_a_network_open_to_business(
    club: Network, manager: User, member: User
) -> None:
    assert club.business_features_enabled
    assert can_export_contacts(manager, club)
    assert not can_export_contacts(member, club)  # business features on, but not a manager
    club.refuses_solicitation = True
    assert not can_export_contacts(manager, club)
