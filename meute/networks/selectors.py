"""Reads for the directory and the questionnaire."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from meute.accounts.models import ConsentPurpose, Person
from meute.engine.recommend import Answers, NetworkFacts, Recommendation, rank_networks
from meute.networks.models import OPEN_STATUSES, Membership, Network, Proposal, Status
from meute.networks.search import stems
from meute.networks.services.professions import profession_taken

# No page open to the public gives a count of fewer people than this: it says "moins de 5".
PUBLIC_MINIMUM = 5

# NULLs placed explicitly: SQLite and PostgreSQL put them at opposite ends by default.
# Sizes sort by what the public sees (`public_count`): the order of two networks of fewer
# than PUBLIC_MINIMUM members would tell which is bigger, so they tie (then by name).
SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("name",),
    "-members": (F("public_count").desc(nulls_last=True), "name"),
    "members": (F("public_count").asc(nulls_first=True), "name"),
    "-founded": (F("founded_on").desc(nulls_last=True), "name"),
    # An uncapped network always has seats: first.
    "seats": (F("public_seats_order").desc(nulls_first=True), "name"),
}


def public_count(n: int) -> int | None:
    """A count as a public page may show it: None (shown "moins de 5") under PUBLIC_MINIMUM.

    >>> public_count(4), public_count(5)
    (None, 5)
    """
    return n if n >= PUBLIC_MINIMUM else None


def networks_with_counts(qs: QuerySet[Network] | None = None) -> QuerySet[Network]:
    """Networks annotated with their active member count and free seats (None when uncapped),
    and the same as public pages show them: `public_count` and `public_free_seats` are None
    when the network has fewer than PUBLIC_MINIMUM active members (the cap minus the free
    seats would give the count)."""
    qs = Network.objects.all() if qs is None else qs
    small = Q(active_count__lt=PUBLIC_MINIMUM)
    return (
        qs.select_related("commune")
        .annotate(
            # A correlated count rather than a join and GROUP BY: PostgreSQL then counts only the
            # rows of the page shown (20 networks), not the 400,000 memberships of a national
            # directory (docs/operations.md, "National scale").
            active_count=Coalesce(
                Subquery(
                    Membership.objects.filter(network=OuterRef("pk"), status=Status.ACTIVE)
                    .order_by()
                    .values("network")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .annotate(free_seats=F("member_cap") - F("active_count"))
        .annotate(
            public_count=Case(
                When(small, then=Value(None)), default=F("active_count"), output_field=IntegerField()
            ),
            public_free_seats=Case(
                When(small, then=Value(None)), default=F("free_seats"), output_field=IntegerField()
            ),
            # A small network sorts as if its whole cap were free: all the public knows of it.
            public_seats_order=Case(
                When(small, then=F("member_cap")), default=F("free_seats"), output_field=IntegerField()
            ),
        )
    )


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    kind: str = ""
    purpose: str = ""
    sector: str = ""
    commune: str = ""  # INSEE code
    rhythm: str = ""
    free_seats: bool = False
    sort: str = "name"


def directory_search(filters: DirectoryFilters) -> QuerySet[Network]:
    qs = networks_with_counts(Network.objects.filter(is_published=True))
    for stem in stems(filters.q):
        # Each query word must start one of the network's stored stems.
        qs = qs.filter(search_text__contains=f" {stem}")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.rhythm:
        qs = qs.filter(rhythm=filters.rhythm)
    if filters.commune:
        qs = qs.filter(commune__insee=filters.commune)
    if filters.free_seats:
        qs = qs.filter(Q(member_cap__isnull=True) | Q(free_seats__gt=0))
    ids: list[int] | None = None
    if filters.purpose or filters.sector:
        # JSON list membership, evaluated in Python so SQLite and PostgreSQL agree.
        ids = [
            pk
            for pk, purposes, sectors in qs.values_list("pk", "purposes", "sectors")
            if (not filters.purpose or filters.purpose in purposes)
            and (not filters.sector or not sectors or filters.sector in sectors)
        ]
        qs = qs.filter(pk__in=ids)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def members_in_sector(sector: str | None) -> dict[int, int]:
    """Per network, its active members whose organisation is in the NAF section `sector` and who
    consent to appear in member lists; networks with fewer than PUBLIC_MINIMUM of them are left
    out (the questionnaire is public, and such a count points at identifiable people)."""
    if not sector:
        return {}
    rows = (
        Membership.objects.active()
        .filter(person__organisation__naf__section=sector)
        .values_list("network_id", "person_id")
    )
    consenting = set(consenting_person_ids(list({pid for _n, pid in rows}), ConsentPurpose.DIRECTORY))
    people: dict[int, set[int]] = {}
    for network_id, person_id in rows:
        if person_id in consenting:
            people.setdefault(network_id, set()).add(person_id)
    return {k: len(v) for k, v in people.items() if public_count(len(v)) is not None}


def _public_reasons(network: Network, recommendation: Recommendation) -> Recommendation:
    # The number of free seats of a network of fewer than PUBLIC_MINIMUM members would give
    # its size (cap minus seats): say only that seats are left.
    if getattr(network, "public_count", None) is not None:
        return recommendation
    reasons = tuple(replace(r, value=None) if r.code == "seats_left" else r for r in recommendation.reasons)
    return replace(recommendation, reasons=reasons)


def recommend(answers: Answers, limit: int = 10) -> list[tuple[Network, Recommendation]]:
    """Published networks ranked for these answers, with reasons fit for a public page."""
    networks = list(networks_with_counts(Network.objects.filter(is_published=True)))
    peers = members_in_sector(answers.sector)
    facts = [
        NetworkFacts(
            key=n.pk,
            purposes=frozenset(n.purposes),
            sectors=frozenset(n.sectors),
            formats=frozenset(n.formats),
            rhythm=n.rhythm,
            hours_per_month=n.hours_per_month,
            latitude=n.commune.latitude if n.commune else None,
            longitude=n.commune.longitude if n.commune else None,
            active_members=n.active_count,  # type: ignore[attr-defined]
            member_cap=n.member_cap,
            members_in_sector=peers.get(n.pk, 0),
        )
        for n in networks
    ]
    by_id = {n.pk: n for n in networks}
    return [
        (by_id[r.key], _public_reasons(by_id[r.key], r)) for r in rank_networks(answers, facts, limit=limit)
    ]


def visible_members(network: Network) -> tuple[list[Membership], int]:
    """Active memberships of people who consent to appear in member lists, and how many others there are."""
    active = list(
        Membership.objects.active()
        .filter(network=network)
        .select_related("person", "person__organisation", "person__organisation__naf")
        .order_by("person__last_name", "person__first_name")
    )
    consenting = set(consenting_person_ids([m.person_id for m in active], ConsentPurpose.DIRECTORY))
    shown = [m for m in active if m.person_id in consenting]
    return shown, len(active) - len(shown)


def consenting_person_ids(person_ids: list[int], purpose: str) -> list[int]:
    """Among these people, those whose latest decision for `purpose` is a yes (one query)."""
    from meute.accounts.models import Consent

    latest: dict[int, Any] = {}
    for c in Consent.objects.filter(person_id__in=person_ids, purpose=purpose).order_by("given_at", "id"):
        latest[c.person_id] = c.granted
    return [pid for pid, granted in latest.items() if granted]


# --- Admissions -------------------------------------------------------------------------------


def waitlist(network: Network) -> list[Membership]:
    """The waiting list, first in line first."""
    return list(
        Membership.objects.filter(network=network)
        .waiting_in_line()
        .select_related("person", "person__organisation")
    )


def waitlist_position(membership: Membership) -> int | None:
    """1 for the first in line; None when not on the waiting list."""
    if membership.status != Status.WAITLISTED:
        return None
    ids = [m.pk for m in waitlist(membership.network)]
    return ids.index(membership.pk) + 1 if membership.pk in ids else None


def pending_applications(network: Network) -> list[Membership]:
    return list(
        Membership.objects.filter(network=network, status=Status.APPLIED)
        .select_related("person", "person__organisation", "sponsor")
        .order_by("created_at", "id")
    )


def network_proposals(network: Network, limit: int = 100) -> list[Proposal]:
    """Members' invitations to apply, newest first, each with what came of it (for the board)."""
    return list(
        Proposal.objects.filter(network=network)
        .select_related("sponsor", "membership__person")
        .order_by("-created_at", "-id")[:limit]
    )


def person_applications(person: Person) -> list[Membership]:
    """A person's memberships, newest first, each with `position` on the waiting list."""
    rows = list(
        Membership.objects.filter(person=person)
        .select_related("network", "sponsor")
        .order_by("-created_at", "-id")
    )
    for m in rows:
        m.position = waitlist_position(m)  # type: ignore[attr-defined]
    return rows


def sponsor_requests(person: Person) -> list[Membership]:
    """Applications naming this person as sponsor that wait for their answer."""
    return list(
        Membership.objects.filter(sponsor=person, status=Status.APPLIED, sponsor_confirmed_at__isnull=True)
        .select_related("person", "person__organisation", "network")
        .order_by("created_at", "id")
    )


def active_memberships(network: Network) -> list[Membership]:
    return list(active_memberships_query(network))


def active_memberships_query(network: Network, search: str = "") -> QuerySet[Membership]:
    """Active members by name; ``search`` keeps those whose name or company contains it."""
    rows = Membership.objects.active().filter(network=network)
    for word in search.split():
        rows = rows.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__organisation__name__icontains=word)
        )
    return rows.select_related("person", "person__organisation").order_by(
        "person__last_name", "person__first_name", "id"
    )


def network_audit(network: Network, limit: int = 500) -> QuerySet[Any]:
    from meute.audit.models import AuditEntry

    return AuditEntry.objects.filter(network=network).select_related("actor").order_by("-at", "-id")[:limit]


def contact_export_rows(network: Network) -> list[tuple[str, str, str, str]]:
    """Name, company, e-mail, phone of active members who consented both to appear in member
    lists and to business contacts (matchmaking): an e-mail and a phone go further than a name."""
    active = active_memberships(network)
    ids = [m.person_id for m in active]
    consenting = set(consenting_person_ids(ids, ConsentPurpose.DIRECTORY)) & set(
        consenting_person_ids(ids, ConsentPurpose.MATCHMAKING)
    )
    return [
        (
            m.person.full_name,
            m.person.organisation.name if m.person.organisation else "",
            m.person.email,
            m.person.phone_display,
        )
        for m in active
        if m.person_id in consenting
    ]


def profession_alternatives(person: Person, network: Network, limit: int = 5) -> list[tuple[Network, Any]]:
    """Networks of the territory where the person's profession still has a free seat, ranked like the
    questionnaire ranks them for the person's sector and commune."""
    naf = person.naf
    commune = person.commune or (person.organisation.commune if person.organisation else None)
    answers = Answers(
        sector=naf.section if naf else None,
        latitude=commune.latitude if commune else None,
        longitude=commune.longitude if commune else None,
        purposes=frozenset(network.purposes),
    )
    ranked = recommend(answers, limit=1000)
    mine = set(
        Membership.objects.filter(person=person, status__in=OPEN_STATUSES).values_list(
            "network_id", flat=True
        )
    )
    out: list[tuple[Network, Any]] = []
    for n, r in ranked:
        if n.pk == network.pk or n.pk in mine or profession_taken(network=n, person=person):
            continue
        out.append((n, r))
        if len(out) == limit:
            break
    return out


# --- Lookups for the API (a missing row is None: the caller answers 404) ------------------------


def network_page(slug: str) -> Network | None:
    """The network of this address, with the counts a public page shows, or None."""
    return networks_with_counts(Network.objects.filter(slug=slug)).first()


def network_membership(network: Network, pk: int) -> Membership | None:
    """A membership of this network; another network's id answers None (no id guessing)."""
    return (
        Membership.objects.select_related("person", "person__organisation")
        .filter(pk=pk, network=network)
        .first()
    )


def network_board(network: Network, limit: int = 6) -> list[Membership]:
    """The president and board members a network's public page names."""
    return list(
        Membership.objects.filter(network=network, status=Status.ACTIVE, role__in=["president", "board"])
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")[:limit]
    )
