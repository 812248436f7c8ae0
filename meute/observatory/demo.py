"""The observatory's demo: member lists of the demo networks imported, linked and published.

Each network sends two lists of the same people drawn by the engine's generator
(:mod:`meute.engine.linkage.synth`: accents dropped, upper-case names, "NOM
Prénom" in one cell, typos, work and personal e-mails, switchboards, SARL/SAS
before the company…): one dated two years ago, without about a fifth of its
members (they arrive later), and one dated last month, without about a tenth
(they left; the demo confirms their departure as a manager would). Everything
goes through the services, as a chamber's staff would do it by hand, so the
observatory shows its figures and a published dossier on first start.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from meute.engine.linkage import synth
from meute.networks.models import Network
from meute.observatory import services
from meute.observatory.linking import linkage_run
from meute.observatory.models import ImportStatus, LinkageRun, ListImport, RunStatus

SEED = 37  # Indre-et-Loire

__all__ = ["observatory_demo_load"]


def _subset(member_list: synth.MemberList, keep: list[int]) -> synth.MemberList:
    return dataclasses.replace(
        member_list,
        rows=tuple(member_list.rows[i] for i in keep),
        persons=tuple(member_list.persons[i] for i in keep),
    )


def _import(network: Network, member_list: synth.MemberList, list_date: dt.date) -> ListImport:
    name = f"{network.slug}-{list_date:%Y-%m}.csv"
    pending = services.list_import_upload(
        network=network, user=None, file_name=name, data=synth.to_csv_bytes(member_list), list_date=list_date
    )
    if pending.status == ImportStatus.IMPORTED:
        return pending
    mapping = services.mapping_proposed(network=network, headers=pending.headers)
    # generated lists carry a few cells that fail their checks (a SIRET's key, a phone): left out
    return services.list_import_confirm(list_import=pending, user=None, mapping=mapping, skip_errors=True)


def _link_now() -> None:
    """Run the last queued linkage now (the demo loads in one transaction, so the worker's
    copy would wait for its end); the runs queued before it would only redo the same work."""
    last = LinkageRun.objects.filter(status=RunStatus.QUEUED).order_by("-pk").first()
    if last is None:
        return
    LinkageRun.objects.filter(status=RunStatus.QUEUED, pk__lt=last.pk).update(
        status=RunStatus.DONE, progress=100, method="skipped", finished_at=timezone.now()
    )
    with transaction.atomic():
        linkage_run(run_id=last.pk)


def observatory_demo_load(*, today: dt.date, people: int = 900) -> dict[str, Any]:
    """Import two lists per demo network, link them, confirm the departures, publish last year's dossier."""
    networks = list(Network.objects.order_by("pk"))
    if not networks or ListImport.objects.exists():
        return {"lists": 0}
    rng = random.Random(SEED)
    lists = synth.generate(SEED, n_people=people, n_networks=len(networks), name_prefix="liste")
    earlier, later = today - dt.timedelta(days=730), today - dt.timedelta(days=30)
    pairs = []
    for network, member_list in zip(networks, lists, strict=True):
        order = list(range(len(member_list.rows)))
        rng.shuffle(order)
        arrive, leave = len(order) // 5, len(order) // 10
        old = sorted(order[arrive:])  # those who arrive later are not on the old list
        new = sorted(order[:arrive] + order[arrive + leave :])  # those who left are not on the new one
        pairs.append((network, _subset(member_list, old), _subset(member_list, new)))
    firsts = [_import(net, old, earlier) for net, old, _ in pairs]
    _link_now()
    seconds = [_import(net, new, later) for net, _, new in pairs]
    _link_now()
    departed = sum(services.departures_confirm(list_import=imp, user=None) for imp in seconds)
    services.dossier_request(at=dt.date(today.year - 1, 12, 31), user=None, published=True)
    return {"lists": len(firsts) + len(seconds), "departed": departed}
