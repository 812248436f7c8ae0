"""Instances with popular participants: a family the engine was not tuned on (issue 15).

In real speed meetings a few decision-makers are wanted by nearly everyone,
needs are sparse, colleagues of one firm must not meet, and several people
request the same few. :func:`popular` draws such a room:

- ``hubs`` people in high demand, each with a heavy-tailed appeal (Pareto,
  shape 1.2): the most wanted hub is the best partner of most of the room,
  the least wanted of a few;
- sparse base relevance: any other pair is worth something with probability
  ``density`` (2 to 25, most small), else 0;
- firms of 1 to 4 colleagues (who never meet);
- ``requests`` requested pairs, each from someone who values the partner,
  most (``aimed``) aimed at the hubs in proportion to the square of their
  appeal, so that the top hubs collect more requests than they have rounds;
- ``forbidden`` do-not-meet pairs among people of positive relevance.

It returns a ``meute.pairing-instance/1`` document (plain data, seeded).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["popular"]


def popular(
    n: int = 150,
    rounds: int = 6,
    *,
    seed: int = 0,
    hubs: int = 9,
    density: float = 0.12,
    requests: int = 44,
    aimed: float = 0.8,
    forbidden: int = 10,
) -> dict[str, Any]:
    """A room of ``n`` people with ``hubs`` decision-makers in high demand.

    Examples
    --------
    >>> doc = popular(30, 4, seed=1, hubs=3, requests=8, forbidden=2)
    >>> doc["format"], len(doc["participants"]), len(doc["requested"]), len(doc["forbidden"])
    ('meute.pairing-instance/1', 30, 8, 2)
    """
    rng = np.random.default_rng(seed)
    ids = [f"p{i + 1}" for i in range(n)]
    firm, company = [], 0
    while len(firm) < n:
        company += 1
        firm += [company] * int(rng.choice([1, 1, 1, 2, 2, 3, 4]))
    firm = firm[:n]
    order = rng.permutation(n)  # hubs are scattered across firms
    hub = order[:hubs]
    appeal = np.sort(rng.pareto(1.2, hubs) + 1.0)[::-1]
    appeal = appeal / appeal.max()

    w = np.zeros((n, n), dtype=np.int64)
    base = np.triu(rng.random((n, n)) < density, 1)
    # small values mostly, a few strong fits
    values = np.minimum(2 + rng.geometric(0.25, size=(n, n)) * 2, 25)
    w[base] = values[base]
    w = w + w.T
    for h, a in zip(hub, appeal, strict=True):
        fans = rng.random(n) < min(0.95, 0.25 + 0.7 * a)
        strength = 30 + rng.integers(0, 20, size=n)
        mask = fans & (np.arange(n) != h)
        w[h, mask] = np.maximum(w[h, mask], strength[mask])
        w[mask, h] = w[h, mask]
    firms = np.array(firm)
    w[firms[:, None] == firms[None, :]] = 0
    np.fill_diagonal(w, 0)

    # requests come from people who value the partner, and crowd on the most wanted hubs
    req: set[tuple[int, int]] = set()
    p_hub = appeal**2 / (appeal**2).sum()
    tries = 0
    while len(req) < requests and tries < 100 * requests:
        tries += 1
        i = int(rng.integers(n))
        j = int(rng.choice(hub, p=p_hub)) if rng.random() < aimed else int(rng.integers(n))
        if i == j or firm[i] == firm[j] or w[i, j] == 0:
            continue
        req.add((min(i, j), max(i, j)))
    cand = [(i, j) for i, j in zip(*np.nonzero(np.triu(w, 1)), strict=True) if (i, j) not in req]
    picked = rng.choice(len(cand), size=min(forbidden, len(cand)), replace=False)
    bad = sorted((int(cand[k][0]), int(cand[k][1])) for k in picked)
    return {
        "format": "meute.pairing-instance/1",
        "rounds": rounds,
        "table_size": 2,
        "participants": [{"id": ids[i], "company": f"f{firm[i]}"} for i in range(n)],
        "weights": w.tolist(),
        "forbidden": [[ids[i], ids[j]] for i, j in bad],
        "requested": [[ids[i], ids[j]] for i, j in sorted(req)],
    }
