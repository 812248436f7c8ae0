"""Reads of the packs app, and the bridge to the team builder of the engine.

:func:`tender_team` loads the cluster's rows, builds the ``meute.tender/1`` input
(communes' latitude and longitude projected to km), solves, and words every
choice in the reader's language. It writes nothing: the team page may be
recomputed with other weights at will; :mod:`meute.packs.services` saves a team.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meute.accounts.models import Organisation
from meute.engine import consortium
from meute.networks.models import Network
from meute.packs.models import (
    Certification,
    Collaboration,
    CollaborationSource,
    FirmProfile,
    Invitation,
    InvitationStatus,
    Lot,
    Tender,
    TenderStatus,
)
from meute.packs.trades import Trade, naf_classes_of

EARTH_RADIUS_KM = 6371.0
#: Alternatives shown on the team page (each one more MILP solve).
MAX_ALTERNATIVES = 5


def tenders_of(*, network: Network) -> QuerySet[Tender]:
    return Tender.objects.filter(network=network).select_related("commune").prefetch_related("lots")


@dataclass(frozen=True)
class FirmWins:
    name: str
    packs_won: int
    amount_keur: int


@dataclass(frozen=True)
class ClusterFigures:
    """What the cluster's packs have given: tenders by state, those won, the amounts won by its firms."""

    by_status: list[tuple[str, int]]
    tenders: int
    won: int
    lost: int
    amount_won_keur: int
    firms: list[FirmWins]


def cluster_figures(*, network: Network) -> ClusterFigures:
    """The cluster's figures from its recorded outcomes; ``firms`` from the most won down (two queries)."""
    counts = dict(
        Tender.objects.filter(network=network).values_list("status").annotate(n=Count("id")).order_by()
    )
    rows = (
        Invitation.objects.filter(
            tender__network=network, tender__status=TenderStatus.WON, amount_won_keur__gt=0
        )
        .values("firm__organisation__name")
        .annotate(packs=Count("tender", distinct=True), amount=Sum("amount_won_keur"))
        .order_by("-amount", "firm__organisation__name")
    )
    firms = [FirmWins(r["firm__organisation__name"], r["packs"], r["amount"] or 0) for r in rows]
    return ClusterFigures(
        by_status=[(str(label), counts.get(value, 0)) for value, label in TenderStatus.choices],
        tenders=sum(counts.values()),
        won=counts.get(TenderStatus.WON, 0),
        lost=counts.get(TenderStatus.LOST, 0),
        amount_won_keur=sum(f.amount_keur for f in firms),
        firms=firms,
    )


def tender_of(*, network: Network, pk: int) -> Tender | None:
    """The tender `pk` of this cluster, None for any other id (no guessing across clusters)."""
    return tenders_of(network=network).filter(pk=pk).first()


def firms_of(*, network: Network) -> QuerySet[FirmProfile]:
    return (
        FirmProfile.objects.filter(network=network)
        .select_related("organisation", "commune", "contact")
        .prefetch_related(Prefetch("certifications", queryset=Certification.objects.order_by("kind")))
    )


def collaboration_counts(*, network: Network) -> Counter[tuple[int, int]]:
    """How many times each pair of firm ids (smaller first) worked together, counting confirmed rows only."""
    counts: Counter[tuple[int, int]] = Counter()
    for c in Collaboration.objects.filter(network=network):
        if c.counts:
            counts[(c.firm_a_id, c.firm_b_id)] += 1
    return counts


def km_projection(latitude: float, longitude: float, *, origin_latitude: float) -> tuple[float, float]:
    """Equirectangular projection to km around `origin_latitude`: within a county, off by well under 1 %."""
    x = EARTH_RADIUS_KM * math.radians(longitude) * math.cos(math.radians(origin_latitude))
    y = EARTH_RADIUS_KM * math.radians(latitude)
    return x, y


def valid_certs(firm: FirmProfile, on: dt.date) -> list[Certification]:
    return [c for c in firm.certifications.all() if c.is_valid_on(on)]


def engine_input(
    *,
    tender: Tender,
    firms: Iterable[FirmProfile],
    together: Iterable[tuple[int, int]],
) -> dict[str, object]:
    """The ``meute.tender/1`` document of a tender and the cluster's firms (ids are profile pks)."""
    origin = tender.commune.latitude
    sx, sy = km_projection(tender.commune.latitude, tender.commune.longitude, origin_latitude=origin)
    on = tender.deadline.date()
    firm_docs = []
    for f in firms:
        x, y = km_projection(f.commune.latitude, f.commune.longitude, origin_latitude=origin)
        firm_docs.append(
            {
                "id": str(f.pk),
                "trades": list(f.trades),
                "x": x,
                "y": y,
                "turnover": f.turnover_keur,
                "certs": sorted({c.kind for c in valid_certs(f, on)}),
            }
        )
    return {
        "format": consortium.FORMAT_IN,
        "site": {"x": sx, "y": sy},
        "radius_km": tender.radius_km,
        "capacity_share": tender.capacity_share,
        "firm_cost": tender.firm_cost,
        "together_bonus": tender.together_bonus,
        "lots": [
            {"id": lot.code, "trade": lot.trade, "amount": lot.amount_keur, "cert": lot.cert or None}
            for lot in tender.lots.all()
        ],
        "firms": firm_docs,
        "together": [[str(a), str(b)] for a, b in together],
    }


@dataclass
class TeamLine:
    lot: Lot
    firm: FirmProfile
    sentence: str
    left_out: list[str]


@dataclass
class Alternative:
    lines: list[tuple[Lot, FirmProfile]]
    cost: float
    extra: float  # how much more than the best team


@dataclass
class Gap:
    lot: Lot
    sentence: str
    outside: list[Organisation] = field(default_factory=list)


@dataclass
class TeamProposal:
    tender: Tender
    lines: list[TeamLine]
    cost: float | None
    lower_bound: float | None
    gap: float | None
    alternatives: list[Alternative]
    gaps: list[Gap]
    firms: list[FirmProfile]  # the team's firms, each once

    @property
    def found(self) -> bool:
        return self.cost is not None


def _cert_phrase(firm: FirmProfile, kind: str, on: dt.date) -> str:
    dates = [c.valid_until for c in valid_certs(firm, on) if c.kind == kind]
    if not dates:
        return kind
    return _("%(cert)s jusqu'en %(year)s") % {"cert": kind, "year": max(dates).year}


def _why_words(why: str, distance: float, lot: Lot) -> str:
    if why == "no_cert":
        return _("pas de qualification %(cert)s valable") % {"cert": lot.cert}
    if why == "too_far":
        return _("trop loin : %(km)s km") % {"km": f"{distance:.0f}"}
    if why == "too_small":
        return _("trop petite pour ce lot")
    if why == "excluded":
        return _("a décliné ou ne peut pas intervenir")
    return _("l'équipe est moins chère sans elle")


def _gap_words(gap: consortium.LotGap, lot: Lot, radius: float) -> str:
    trade = lot.get_trade_display()
    if gap.why == "no_trade":
        return _("aucune entreprise du groupement ne fait « %(trade)s »") % {"trade": trade}
    if gap.why == "no_cert":
        return ngettext(
            "%(n)d entreprise fait « %(trade)s » mais aucune n'a la qualification %(cert)s valable à la date limite",
            "%(n)d entreprises font « %(trade)s » mais aucune n'a la qualification %(cert)s valable à la date limite",
            gap.with_trade,
        ) % {"n": gap.with_trade, "trade": trade, "cert": lot.cert}
    if gap.why == "too_far":
        return _("aucune entreprise qualifiée n'est à moins de %(km)s km du chantier") % {
            "km": f"{radius:.0f}"
        }
    if gap.why == "too_small":
        return _("aucune entreprise à portée n'a un chiffre d'affaires suffisant pour %(amount)s k€") % {
            "amount": lot.amount_keur
        }
    if gap.why == "kept":
        return _("une entreprise qui a déjà accepté bloque ce lot")
    return _("les entreprises capables de le prendre ne peuvent pas porter aussi leurs autres lots")


def outside_firms(*, network: Network, trade: str, limit: int = 5) -> list[Organisation]:
    """Organisations of the directory outside the cluster whose NAF code matches the trade."""
    classes = naf_classes_of(trade)
    if not classes:
        return []
    return list(
        Organisation.objects.filter(naf__class_code__in=classes)
        .exclude(firm_profiles__network=network)
        .select_related("commune")
        .order_by("name")[:limit]
    )


def tender_team(
    *,
    tender: Tender,
    alternatives: int = 3,
    weights: dict[str, float] | None = None,
) -> TeamProposal:
    """The best team for the tender as the engine builds it, worded for the reader.

    Firms that declined an invitation are left out; firms that accepted keep
    their lots. `weights` overrides the tender's stored weights for this reading.
    """
    for name, value in (weights or {}).items():
        setattr(tender, name, value)
    firms = list(firms_of(network=tender.network))
    by_id = {str(f.pk): f for f in firms}
    lots = list(tender.lots.all())
    lot_by_code = {lot.code: lot for lot in lots}
    counts = collaboration_counts(network=tender.network)
    doc = engine_input(tender=tender, firms=firms, together=counts.keys())
    parsed = consortium.parse_tender(doc)
    invitations = list(tender.invitations.all())
    declined = {str(i.firm_id) for i in invitations if i.status == InvitationStatus.DECLINED}
    accepted = {i.firm_id for i in invitations if i.status == InvitationStatus.ACCEPTED}
    # A firm's own intervention radius is a hard rule too: beyond it, it is left out.
    engine_firms = {p.id: p for p in parsed.firms}
    own_radius = {str(f.pk) for f in firms if parsed.distance(engine_firms[str(f.pk)]) > f.radius_km + 1e-6}
    keep = [(lot.code, str(lot.firm_id)) for lot in lots if lot.firm_id in accepted]
    result = consortium.solve_team(
        parsed,
        alternatives=min(alternatives, MAX_ALTERNATIVES),
        exclude=declined | own_radius,
        keep=keep,
    )
    on = tender.deadline.date()
    if result.team is None:
        gaps = [
            Gap(
                lot=lot_by_code[g.lot],
                sentence=_gap_words(g, lot_by_code[g.lot], tender.radius_km),
                outside=outside_firms(network=tender.network, trade=lot_by_code[g.lot].trade),
            )
            for g in result.gaps
        ]
        return TeamProposal(tender, [], None, None, None, [], gaps, [])
    team_ids = result.team.firms
    lines = []
    for r in result.reasons:
        firm = by_id[r.firm]
        lot = lot_by_code[r.lot]
        parts = [str(Trade(lot.trade).label).lower()]
        if lot.cert:
            parts.append(_cert_phrase(firm, lot.cert, on))
        parts.append(_("%(km)s km") % {"km": f"{r.distance_km:.0f}"})
        for other in r.together_with:
            a, b = sorted((int(r.firm), int(other)))
            n = counts[(a, b)]
            parts.append(
                ngettext(
                    "a déjà travaillé une fois avec %(name)s",
                    "a déjà travaillé %(n)d fois avec %(name)s",
                    n,
                )
                % {"n": n, "name": by_id[other].name}
            )
        sentence = f"{firm.name} : " + ", ".join(parts) + "."
        left = [
            f"{by_id[x.firm].name} ({_('hors de son rayon d’intervention')})"
            if x.why == "excluded" and x.firm in own_radius
            else f"{by_id[x.firm].name} ({_why_words(x.why, x.distance_km, lot)})"
            for x in r.left_out
        ]
        lines.append(TeamLine(lot=lot, firm=firm, sentence=sentence, left_out=left))
    alts = [
        Alternative(
            lines=[(lot_by_code[lot_code], by_id[firm_id]) for lot_code, firm_id in t.lots],
            cost=t.cost,
            extra=t.cost - result.team.cost,
        )
        for t in result.alternatives
    ]
    return TeamProposal(
        tender=tender,
        lines=lines,
        cost=result.team.cost,
        lower_bound=result.lower_bound,
        gap=result.gap,
        alternatives=alts,
        gaps=[],
        firms=[by_id[i] for i in team_ids],
    )


def invitations_of(*, tender: Tender) -> QuerySet[Invitation]:
    return tender.invitations.select_related("firm__organisation")


def collaborations_won(*, network: Network) -> QuerySet[Collaboration]:
    return Collaboration.objects.filter(network=network, source=CollaborationSource.WON)
