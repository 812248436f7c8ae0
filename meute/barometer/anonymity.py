"""Barometer answers that cannot be joined to their receipts, even by a database administrator.

Written one after the other, an answer and its receipt would be linked by the
storage itself, whatever their keys: on SQLite the k-th answer and the k-th
receipt get the same ``rowid``; on PostgreSQL their ``xmin`` (transaction id)
match or follow each other, and a ``pg_dump`` lists both tables in insertion
order, so the k-th rows go together.

So every new answer **rewrites its whole group** (the network's answers for the
quarter, the only level figures are read at) in a random order, with fresh
random keys: after it, the group's answers share one transaction id, their
storage order and ``rowid``\\ s are a random permutation, and nothing ties one of
them to one receipt. Answers have no timestamp and no sequence; receipts carry
no answer id. The network row is locked first (``core.locking``) so that two
answers in one network do not rewrite the group at once.

Limits, stated in docs/privacy.md: the group's first answer is alone until a
second comes (figures are shown only from 5 answers, for closed quarters); an
administrator who copies the table after each answer, or reads PostgreSQL's
write-ahead log or dead row versions before VACUUM, sees each answer arrive.
"""

from __future__ import annotations

import secrets

from meute.barometer.models import BarometerAnswer
from meute.core.locking import locked
from meute.networks.models import Network

# A module attribute, so that a test can make the order repeatable.
_random = secrets.SystemRandom()


def answer_add_shuffled(answer: BarometerAnswer) -> None:
    """Save ``answer`` by rewriting its group in a random order. Call inside the answer's transaction."""
    locked(Network, answer.network_id)
    group = BarometerAnswer.objects.filter(network_id=answer.network_id, period=answer.period)
    fields = [f.attname for f in BarometerAnswer._meta.concrete_fields if not f.primary_key]
    rows = [BarometerAnswer(**{f: getattr(a, f) for f in fields}) for a in group] + [answer]
    group.delete()
    _random.shuffle(rows)
    BarometerAnswer.objects.bulk_create(rows)
