"""Networks: the directory with its search and filters, a network's public page and upcoming events."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from meute.api.auth import OPTIONAL_AUTH, PUBLIC_SECURITY
from meute.api.pagination import LimitOffset, Mapped
from meute.api.problems import ERRORS
from meute.api.v1.schemas import (
    EventOut,
    NetworkDetailOut,
    NetworkOut,
    PersonCard,
    event_out,
    network_out,
)
from meute.events.selectors import events_listed, upcoming_for_network
from meute.networks import permissions
from meute.networks.models import Network
from meute.networks.selectors import SORTS, DirectoryFilters, directory_search, network_board, network_page

router = Router(tags=["networks"], auth=OPTIONAL_AUTH)


class DirectoryQuery(Schema):
    # The same limits as the directory's form (a search of 100 characters at most).
    q: str = Field("", max_length=100)
    kind: str = Field("", max_length=30)
    purpose: str = Field("", max_length=30)
    sector: str = Field("", max_length=30)
    commune: str = Field("", max_length=10)
    rhythm: str = Field("", max_length=30)
    free_seats: bool = False
    sort: str = Field("name", max_length=30)


def published_network(request: HttpRequest, slug: str) -> Network:
    """The network of the public page: unpublished ones only for their managers (else 404)."""
    network = network_page(slug)
    if network is None or (not network.is_published and not permissions.can_manage(request.user, network)):
        raise Http404
    return network


@router.get(
    "/networks",
    response={200: list[NetworkOut], **ERRORS},
    operation_id="networks_list",
    openapi_extra=PUBLIC_SECURITY,
)
@paginate(LimitOffset)
def networks_list(request: HttpRequest, filters: Query[DirectoryQuery]) -> Any:
    """The directory: published networks, searched and filtered as on the directory page."""
    sort = filters.sort if filters.sort in SORTS else "name"
    found = directory_search(DirectoryFilters(**(filters.dict() | {"sort": sort})))
    return Mapped(found, network_out)


@router.get(
    "/networks/{slug}",
    response={200: NetworkDetailOut, **ERRORS},
    operation_id="network_detail",
    openapi_extra=PUBLIC_SECURITY,
)
def network_detail(request: HttpRequest, slug: str) -> Any:
    """A network's public page, with its board and next events the caller may see."""
    n = published_network(request, slug)
    return NetworkDetailOut(
        **network_out(n).dict(),
        description=n.description,
        purposes=list(n.purposes),
        formats=list(n.formats),
        languages=list(n.languages),
        website=n.website,
        contact_name=n.contact_name,
        contact_email=n.contact_email,
        dues_amount=n.dues_amount,
        charter_version=n.charter_version,
        board=[PersonCard(name=m.person.full_name, job_title=m.person.job_title) for m in network_board(n)],
        upcoming_events=[event_out(e) for e in upcoming_for_network(request.user, n.pk)],
    )


@router.get(
    "/networks/{slug}/events",
    response={200: list[EventOut], **ERRORS},
    operation_id="network_events",
    openapi_extra=PUBLIC_SECURITY,
)
@paginate(LimitOffset)
def network_events(request: HttpRequest, slug: str) -> Any:
    """The network's upcoming events that the caller may see."""
    n = published_network(request, slug)
    return Mapped(events_listed(request.user, network_slug=n.slug), event_out)
