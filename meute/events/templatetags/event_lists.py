"""Event lists that pages of lower apps show: `{% load event_lists %}`.

A network's page lists its next meetings, but networks stands below events
(events imports networks): the page's template asks this tag, so no Python
module of networks imports events.
"""

from __future__ import annotations

from typing import Any

from django import template

from meute.events.models import Event
from meute.events.selectors import upcoming_for_network

register = template.Library()


@register.simple_tag(takes_context=True)
def network_upcoming(context: template.Context, network: Any) -> list[Event]:
    """The network's next published events that the reader may see (five at most)."""
    return list(upcoming_for_network(context["request"].user, network.pk))
