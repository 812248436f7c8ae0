"""schemathesis against the live schema: for every operation, generated requests (valid and not)
never get a server error, and every answer matches the schema (status, content type, body).

Run through Django's WSGI handler, as a manager of `club` with a read-write token,
a few examples per operation to keep the suite quick.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from meute.api.api import api
from meute.api.models import Scope
from meute.api.services import token_create
from meute.events.models import Registration
from tests.api.conftest import make_event
from tests.factories import MembershipFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# The schema the site serves at /api/openapi.json, read without a request (collection has no
# database); the WSGI handler answers the generated calls.
# The coverage phase (every boundary of every parameter) takes minutes: the fuzzing phase,
# with a few examples, keeps the suite quick; run the CLI for a deeper search.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture
def wsgi_keeps_the_connection() -> Iterator[None]:
    """As Django's test client does: the handler must not close the connection the test's transaction holds."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def manager_token(
    wsgi_keeps_the_connection: None, db: None, manager: Any, member: Any, club: Any, other_club: Any
) -> str:
    # Some rows for generated ids and slugs to hit: an event with a registration, an applicant.
    event = make_event(club)
    Registration.objects.create(event=event, person=member.person)
    MembershipFactory(network=club, status="applied", start_date=None)
    return token_create(user=manager, name="schemathesis", scope=Scope.READ_WRITE, days=1)[1]


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_the_api_keeps_to_its_schema(case: Any, manager_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {manager_token}"}, checks=CHECKS)
