"""A network's management: members, applications (approve, decline), roles, dues payments.

For the network's managers (president, board, permanent staff) and CCI staff;
anyone else gets 404 for the network and for every id in it, as on the pages.
"""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from meute.api.auth import AUTH
from meute.api.pagination import LimitOffset, Mapped
from meute.api.problems import ERRORS
from meute.api.v1.schemas import (
    DecisionIn,
    DuesLineOut,
    DuesPeriodOut,
    MemberOut,
    PaymentIn,
    RoleIn,
    dues_line_out,
    member_out,
    period_out,
)
from meute.dues import selectors as dues_selectors
from meute.dues import services as dues_services
from meute.networks import permissions, selectors
from meute.networks.models import Membership, Network, Status
from meute.networks.services import admissions, memberships

router = Router(tags=["management"], auth=AUTH)

MAX_ID = 2**63 - 1


def managed_network(request: HttpRequest, slug: str) -> Network:
    network = selectors.network_page(slug)
    if network is None or not permissions.can_manage(request.user, network):
        raise Http404
    return network


def network_membership(network: Network, pk: int, *statuses: str) -> Membership:
    membership = selectors.network_membership(network, pk) if 0 < pk <= MAX_ID else None
    if membership is None or (statuses and membership.status not in statuses):
        raise Http404
    return membership


@router.get(
    "/networks/{slug}/members", response={200: list[MemberOut], **ERRORS}, operation_id="network_members"
)
@paginate(LimitOffset)
def network_members(request: HttpRequest, slug: str, q: str = "") -> Any:
    """Active members by name (``q`` searches names and companies)."""
    network = managed_network(request, slug)
    return Mapped(selectors.active_memberships_query(network, q), member_out)


@router.get(
    "/networks/{slug}/applications",
    response={200: list[MemberOut], **ERRORS},
    operation_id="network_applications",
)
@paginate(LimitOffset)
def network_applications(request: HttpRequest, slug: str) -> Any:
    """Applications waiting for the board's decision, oldest first."""
    return Mapped(selectors.pending_applications(managed_network(request, slug)), member_out)


@router.post(
    "/networks/{slug}/applications/{membership_id}/approve",
    response={200: MemberOut, **ERRORS},
    operation_id="application_approve",
)
def application_approve(request: HttpRequest, slug: str, membership_id: int) -> Any:
    """Admit an applicant: active if a seat is free, else on the waiting list."""
    network = managed_network(request, slug)
    membership = network_membership(network, membership_id, Status.APPLIED)
    return member_out(admissions.membership_approve(membership=membership, actor=request.user))


@router.post(
    "/networks/{slug}/applications/{membership_id}/decline",
    response={200: MemberOut, **ERRORS},
    operation_id="application_decline",
)
def application_decline(request: HttpRequest, slug: str, membership_id: int, body: DecisionIn) -> Any:
    """Refuse an application (or take someone off the waiting list), with the reason they will read."""
    network = managed_network(request, slug)
    membership = network_membership(network, membership_id, Status.APPLIED, Status.WAITLISTED)
    return member_out(
        admissions.membership_refuse(membership=membership, actor=request.user, reason=body.reason)
    )


@router.post(
    "/networks/{slug}/members/{membership_id}/role",
    response={200: MemberOut, **ERRORS},
    operation_id="member_set_role",
)
def member_set_role(request: HttpRequest, slug: str, membership_id: int, body: RoleIn) -> Any:
    """Change an active member's role (the network keeps at least one board member)."""
    network = managed_network(request, slug)
    membership = network_membership(network, membership_id, Status.ACTIVE)
    return member_out(
        memberships.membership_set_role(membership=membership, actor=request.user, role=body.role)
    )


@router.get("/networks/{slug}/dues", response={200: list[DuesLineOut], **ERRORS}, operation_id="network_dues")
@paginate(LimitOffset)
def network_dues(request: HttpRequest, slug: str) -> Any:
    """Every active member with their dues state, those needing attention first."""
    return Mapped(dues_selectors.network_dues(managed_network(request, slug)), dues_line_out)


@router.post(
    "/networks/{slug}/dues/{period_id}/payment",
    response={200: DuesPeriodOut, **ERRORS},
    operation_id="dues_payment_record",
)
def dues_payment_record(request: HttpRequest, slug: str, period_id: int, body: PaymentIn) -> Any:
    """Record that a period was paid on a date (no money moves through Meute)."""
    network = managed_network(request, slug)
    period = dues_selectors.network_period(network, period_id) if 0 < period_id <= MAX_ID else None
    if period is None:
        raise Http404
    return period_out(
        dues_services.dues_payment_record(period=period, paid_on=body.paid_on, actor=request.user)
    )
