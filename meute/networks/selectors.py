"""Reads for the directory and the questionnaire."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from meute.accounts.models import ConsentPurpose, Person
from meute.engine.recommend import Answers, NetworkFacts, Recommendation, rank_networks
from meute.networks.models import Membership, Network, Status
from meute.networks.search import stems

# NULLs placed explicitly: SQLite and PostgreSQL put them at opposite ends by default.
SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("name",),
    "-members": ("-active_count", "name"),
    "members": ("active_count", "name"),
    "-founded": (F("founded_on").desc(nulls_last=True), "name"),
    # An uncapped network always has seats: first.
    "seats": (F("free_seats").desc(nulls_first=True), "name"),
}


def networks_with_counts(qs: QuerySet[Network] | None = None) -> QuerySet[Network]:
    """Networks annotated with their active member count and free seats (None when uncapped)."""
    qs = Network.objects.all() if qs is None else qs
    return (
        qs.select_related("commune")
        .annotate(
            active_count=Count("memberships", filter=Q(memberships__status=Status.ACTIVE), distinct=True),
        )
        .annotate(free_seats=F("member_cap") - F("active_count"))
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
    """Active members per network whose organisation is in the NAF section `sector`."""
    if not sector:
        return {}
    rows = (
        Membership.objects.filter(status=Status.ACTIVE, person__organisation__naf__section=sector)
        .values("network_id")
        .annotate(n=Count("person", distinct=True))
    )
    return {r["network_id"]: r["n"] for r in rows}


def recommend(answers: Answers, limit: int = 10) -> list[tuple[Network, Recommendation]]:
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
    return [(by_id[r.key], r) for r in rank_networks(answers, facts, limit=limit)]


def visible_members(network: Network) -> tuple[list[Membership], int]:
    """Active memberships of people who consent to appear in member lists, and how many others there are."""
    active = list(
        Membership.objects.filter(network=network, status=Status.ACTIVE)
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


def person_for(user: Any) -> Person | None:
    return getattr(user, "person", None) if user.is_authenticated else None


# --- Admissions -------------------------------------------------------------------------------


def waitlist(network: Network) -> list[Membership]:
    """The waiting list, first in line first."""
    return list(
        Membership.objects.filter(network=network, status=Status.WAITLISTED)
        .select_related("person", "person__organisation")
        .order_by("queue_position", "created_at", "id")
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
    return list(
        Membership.objects.filter(network=network, status=Status.ACTIVE)
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "id")
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
    from meute.networks.services import profession_taken

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
        Membership.objects.filter(
            person=person, status__in=[Status.APPLIED, Status.ACTIVE, Status.WAITLISTED]
        ).values_list("network_id", flat=True)
    )
    out: list[tuple[Network, Any]] = []
    for n, r in ranked:
        if n.pk == network.pk or n.pk in mine or profession_taken(network=n, person=person):
            continue
        out.append((n, r))
        if len(out) == limit:
            break
    return out
