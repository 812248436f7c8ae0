"""The observatory's reads shared by pages and tests: lists, the preview, a run's progress,
the review queue and the evidence of a pair, an observed person's sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from meute.accounts.models import User
from meute.networks import permissions as network_permissions
from meute.networks.models import Network
from meute.observatory import figures, suppression
from meute.observatory.linking import Absent, absent_from
from meute.observatory.models import (
    Decision,
    ImportStatus,
    LinkageRun,
    ListImport,
    ListMembership,
    ObservedPerson,
    ReviewPair,
    RunStatus,
    SourceRecord,
)

__all__ = [
    "FIELD_LABELS",
    "Evidence",
    "absent_people",
    "arrivals_of",
    "figures_input",
    "imports_visible",
    "latest_run",
    "observatory_figures",
    "observed_sources",
    "pair_evidence",
    "review_queue",
]

#: The fields a column can be mapped to, in the words of the mapping page.
FIELD_LABELS = {
    "full_name": _("Nom et prénom dans une colonne"),
    "surname": _("Nom"),
    "first_name": _("Prénom"),
    "company": _("Entreprise, raison sociale"),
    "siret": _("SIRET ou SIREN"),
    "email": _("E-mail"),
    "mobile": _("Portable"),
    "phone": _("Téléphone"),
    "address": _("Adresse"),
    "postcode": _("Code postal"),
    "commune": _("Commune"),
    "birth_date": _("Date de naissance"),
    "naf": _("Code NAF / APE"),
    "role": _("Fonction"),
    "joined": _("Date d'adhésion"),
}

# The record fields shown side by side on the review page, and the model's comparison each feeds.
_EVIDENCE = (
    ("surname", _("Nom"), "surname"),
    ("first_name", _("Prénom"), "first_name"),
    ("company", _("Entreprise"), "firm"),
    ("siren", _("SIREN"), "firm"),
    ("email", _("E-mail"), "email"),
    ("phone", _("Téléphone"), "mobile"),
    ("commune", _("Commune"), "firm"),
    ("postcode", _("Code postal"), "firm"),
    ("birth_date", _("Date de naissance"), "birth_date"),
)
_COMPARISON_LABELS = {
    "surname": _("nom"),
    "first_name": _("prénom"),
    "email": _("e-mail"),
    "mobile": _("portable"),
    "firm": _("lieu de travail (entreprise, SIREN, standard, domaine, commune)"),
    "birth_date": _("date de naissance"),
}


def imports_visible(user: User | AnonymousUser) -> QuerySet[ListImport]:
    """The lists of the networks ``user`` may import for, newest first (staff: all)."""
    qs = ListImport.objects.select_related("network", "uploaded_by").exclude(status=ImportStatus.DISCARDED)
    if network_permissions.is_staff(user):
        return qs
    return qs.filter(network__in=network_permissions.managed_networks(user))


def latest_run() -> LinkageRun | None:
    return LinkageRun.objects.order_by("-pk").first()


def is_linking() -> bool:
    return LinkageRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists()


def arrivals_of(list_import: ListImport) -> int:
    """People whose membership of the network starts with this list."""
    return ListMembership.objects.filter(started_by=list_import).count()


def absent_people(list_import: ListImport) -> list[Absent]:
    """The departures to confirm for a newer list (none while its records are being linked)."""
    if (
        list_import.status != ImportStatus.IMPORTED
        or list_import.records.filter(observed__isnull=True).exists()
    ):
        return []
    return absent_from(list_import)


def review_queue() -> QuerySet[ReviewPair]:
    return ReviewPair.objects.filter(decision=Decision.PENDING).select_related(
        "record_a__list_import__network", "record_b__list_import__network"
    )


def decided_pairs() -> QuerySet[ReviewPair]:
    return (
        ReviewPair.objects.exclude(decision=Decision.PENDING)
        .select_related("record_a__list_import__network", "record_b__list_import__network", "decided_by")
        .order_by("-decided_at")
    )


@dataclass(frozen=True)
class Evidence:
    """One line of the side-by-side view: a field's two values and whether they agree."""

    label: str
    left: str
    right: str
    agree: bool | None  # None: one side says nothing


def pair_evidence(pair: ReviewPair) -> tuple[list[Evidence], list[tuple[str, float]]]:
    """The two records field by field, and the model's match weight per comparison (bits)."""
    a, b = pair.record_a, pair.record_b
    lines = []
    for field, label, _comparison in _EVIDENCE:
        left, right = getattr(a, field), getattr(b, field)
        if left or right:
            lines.append(Evidence(str(label), left, right, (left == right) if left and right else None))
    weights = [(str(_COMPARISON_LABELS.get(name, name)), float(w)) for name, w in pair.weights]
    return lines, weights


def observed_sources(observed: ObservedPerson) -> QuerySet[SourceRecord]:
    """The person's records with their file, row and list (their sources)."""
    return (
        SourceRecord.objects.filter(observed=observed)
        .select_related("list_import__network")
        .order_by("list_import__list_date", "pk")
    )


# --------------------------------------------------------------------------- figures


def _commune_codes() -> dict[tuple[str, str], str]:
    """INSEE code of a commune by (folded name, postcode), and by (folded name, "") when unique."""
    from meute.engine.linkage.columns import fold_words
    from meute.reference.models import Commune

    codes: dict[tuple[str, str], str] = {}
    by_name: dict[str, set[str]] = {}
    for insee, name, postcode in Commune.objects.values_list("insee", "name", "postcode"):
        folded = fold_words(name)
        codes[(folded, postcode)] = insee
        by_name.setdefault(folded, set()).add(insee)
    for folded, found in by_name.items():
        if len(found) == 1:
            codes[(folded, "")] = next(iter(found))
    return codes


def figures_input(
    *, network: Network | None = None
) -> tuple[list[figures.Membership], dict[str, figures.Person], dict[str, figures.Network], dict[str, str]]:
    """The plain data the figures are computed from: memberships (of ``network``'s people only when
    given: every membership of anyone ever in it), people (business, NAF, commune from their most
    recent record), networks, and commune names. O(memberships + records)."""
    from meute.networks.models import Network as NetworkModel
    from meute.reference.models import Commune

    rows = ListMembership.objects.all()
    if network is not None:
        rows = rows.filter(observed__in=ListMembership.objects.filter(network=network).values("observed"))
    memberships = [
        figures.Membership(str(o), str(n), start, end)
        for o, n, start, end in rows.values_list("observed_id", "network_id", "start_date", "end_date")
    ]
    wanted = {m.person for m in memberships}
    codes = _commune_codes()
    latest: dict[str, dict[str, str]] = {}
    for observed_id, siren, company, naf, commune, postcode in (
        SourceRecord.objects.filter(observed__isnull=False, list_import__status=ImportStatus.IMPORTED)
        .order_by("list_import__list_date", "pk")
        .values_list("observed_id", "siren", "company", "naf", "commune", "postcode")
    ):
        key = str(observed_id)
        if key not in wanted:
            continue
        seen = latest.setdefault(key, {})
        # The most recent value of each attribute a list gives (later rows overwrite).
        if siren or company:
            seen["business"] = siren or f"nom:{company}"
        if naf:
            seen["naf"] = naf
        if commune:
            code = codes.get((commune, postcode)) or codes.get((commune, ""))
            if code:
                seen["commune"] = code
    people = {
        key: figures.Person(key, v.get("business"), v.get("naf"), v.get("commune"), None)
        for key, v in latest.items()
    }
    networks = {
        str(pk): figures.Network(str(pk), name, kind)
        for pk, name, kind in NetworkModel.objects.filter(
            pk__in={int(m.network) for m in memberships}
        ).values_list("pk", "name", "kind")
    }
    names = dict(
        Commune.objects.filter(insee__in={p.commune for p in people.values() if p.commune}).values_list(
            "insee", "name"
        )
    )
    return memberships, people, networks, names


def figures_version() -> str:
    """Changes whenever the memberships do (every rebuild recreates them): the cache key of figures."""
    from django.db.models import Count, Max

    found = ListMembership.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return f"{found['n']}-{found['last']}"


#: Computed figures are kept this long in the cache (and dropped sooner when memberships change).
FIGURES_CACHE_SECONDS = 24 * 3600


def observatory_figures(
    *, at: dt.date, network: Network | None = None, own_only: bool = False, public: bool = False
) -> figures.Figures:
    """Every figure at ``at``: of all networks, or of ``network``'s people (every network they are
    in; only ``network`` itself with ``own_only``); suppressed when ``public`` (no published cell
    under 5 people, and none that totals give back). Cached until the memberships change."""
    from django.core.cache import cache

    key = f"observatory:figures:{figures_version()}:{network.pk if network else 0}:{own_only}:{public}:{at}"
    found = cache.get(key)
    if found is None:
        memberships, people, networks, names = figures_input(network=network)
        if network is not None and own_only:
            memberships = [m for m in memberships if m.network == str(network.pk)]
        found = figures.compute_figures(memberships, people, networks, at, commune_names=names)
        if public:
            found = suppression.suppress_figures(found)
        cache.set(key, found, FIGURES_CACHE_SECONDS)
    return found
