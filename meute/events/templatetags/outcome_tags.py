"""Outcome figures as the logged-in reader may see them.

Whether an aggregate may be shown depends on who reads it (someone who rated
their own meetings needs five *other* people's answers, see
:mod:`meute.events.outcomes`). The outcome pages therefore ask for their
figures here, with the reader taken from the request, rather than trusting
figures computed without knowing the reader.
"""

from __future__ import annotations

from typing import Any

from django import template

from meute.events import outcomes, permissions
from meute.events.models import Event

register = template.Library()


def _reader(context: template.Context) -> Any:
    request = context.get("request")
    return permissions.person_of(request.user) if request is not None else outcomes.Reader.ANYONE


@register.simple_tag(takes_context=True)
def event_outcome_for_reader(context: template.Context, event: Event) -> dict[str, Any]:
    """`outcomes.event_outcome` for the person reading the page."""
    return outcomes.event_outcome(event, viewer=_reader(context))


@register.simple_tag(takes_context=True)
def chamber_outcomes_for_reader(context: template.Context) -> dict[str, Any]:
    """`outcomes.chamber_outcomes` for the person reading the page."""
    return outcomes.chamber_outcomes(viewer=_reader(context))
