"""The engine's notes, said in the interface's language with people's names.

The engine (pure Python, no Django) explains what it could not do in English
and by participant id: a :class:`meute.engine.notes.Note` carries a key and the
parameters of its sentence. A plan stores them as plain data with names in
place of ids (:func:`stored_notes`), and the organiser's page says them in the
active language (:func:`say`). An unknown key (a note added to the engine but
not here yet) falls back to the English text; the tests check that every key the
engine can produce is known here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meute.engine.notes import PERSON_PARAMS, note_data

#: French sentence of each engine note, by key (%(name)s: the note's parameters).
SENTENCES: dict[str, Promise] = {
    "too_few": _("Moins de deux participants : personne à rencontrer."),
    "too_many_rounds": _(
        "%(rounds)s tours, mais chacun n'a que %(partners)s partenaires possibles : "
        "certaines personnes se rencontreront deux fois."
    ),
    "requested_forbidden": _(
        "La rencontre demandée entre %(a)s et %(b)s est impossible : l'un a demandé à ne pas rencontrer l'autre."
    ),
    "requested_colleagues": _(
        "La rencontre demandée entre %(a)s et %(b)s est impossible : ils travaillent dans la même entreprise."
    ),
    "requested_dropped": _(
        "La rencontre demandée entre %(a)s et %(b)s n'a pas été retenue : plus de demandes que de tours."
    ),
    "rests_rebuilt": _(
        "%(who)s est sans table dans un tour refait : plus personne à rencontrer pour la première fois."
    ),
    "rests_round": _("%(who)s est sans table au tour %(round)s : aucune table ne peut l'accueillir."),
    "tables_requested_impossible": _(
        "%(count)s rencontre(s) demandée(s) entre collègues ou entre personnes qui ne souhaitent pas se voir : "
        "impossible."
    ),
    "no_table": _("Personne ne peut partager une table : aucune table n'est possible."),
    "company_rests": _(
        "%(count)s personne(s) restent sans table à chaque tour : une entreprise a plus de membres que de tables."
    ),
    "extra_tables": _(
        "%(tables)s tables au lieu de %(usual)s : une entreprise a %(members)s membres, un par table."
    ),
    "requested_missed": _("%(count)s rencontre(s) demandée(s) n'ont pas eu lieu à une même table."),
    "limit_beyond": _(
        "%(why)s ; %(rounds)s tours demandés : les rencontres répétées sont réduites au minimum au-delà "
        "(%(repeats)s rencontre(s) répétée(s))."
    ),
    "limit_left": _("%(why)s ; la recherche laisse %(repeats)s rencontre(s) répétée(s) en %(rounds)s tours."),
    "limit_companies": _(
        "%(tables)s tables à cause des entreprises (pas de limite prouvée sans rencontre répétée)"
    ),
    "limit_blocked": _(
        "quelqu'un a %(blocked)s collègue(s) ou personne(s) à éviter et ne peut rencontrer que %(meetable)s "
        "personnes : au plus %(rounds)s tours sans rencontre répétée"
    ),
    "limit_too_few": _("moins de deux personnes : personne ne peut s'asseoir à une table"),
    "limit_one_table": _(
        "%(n)s personnes remplissent une seule table : un second tour répète toutes les rencontres"
    ),
    "limit_pigeonhole": _(
        "%(n)s personnes à %(tables)s tables de %(size)s au plus : un second tour réunit forcément deux anciens "
        "voisins de table (plus de places à une table que de tables)"
    ),
    "limit_counting": _(
        "au plus %(upper)s tours sans rencontre répétée (à chaque tour, chacun rencontre au moins %(new)s "
        "nouvelles personnes, sur %(others)s)"
    ),
    "limit_36": _(
        "36 personnes à 6 tables de 6 : au plus 3 tours sans rencontre répétée (un 4e demanderait deux carrés "
        "latins orthogonaux d'ordre 6, qui n'existent pas : problème des 36 officiers d'Euler, Tarry 1900)"
    ),
    "limit_32": _(
        "32 personnes à 8 tables de 4 : au plus 10 tours sans rencontre répétée (31/3), atteints par une "
        "construction connue (problème des golfeurs 8-4-10)"
    ),
    "limit_reached": _("%(bound)s, atteint par %(design)s"),
    "limit_mols": _(
        "%(n)s personnes à %(k)s tables de %(k)s : r tours sans rencontre répétée demandent r − 2 carrés latins "
        "orthogonaux d'ordre %(k)s ; au plus %(upper)s"
    ),
    "no_profiles": _(
        "Aucun participant n'a rempli son profil : les rencontres sont réparties sans critère de pertinence, "
        "pour que chacun rencontre le plus de monde possible. Invitez les participants à dire ce qu'ils "
        "proposent et cherchent, puis recalculez le plan."
    ),
    "no_relevance": _(
        "Les profils ne contiennent aucun mot qui rapproche deux participants (seulement des mots courants, ou "
        "des activités sans lien) : les rencontres sont réparties sans critère de pertinence."
    ),
    "design_affine": _("les droites de la géométrie affine AG(%(d)s, %(q)s)"),
    "design_net": _("un réseau sur %(ring)s"),
    "design_32": _("un plan résoluble de 32 personnes par tables de 4"),
}


def stored_notes(notes: Iterable[str], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Notes as JSON-ready data for a plan's figures, ids replaced by people's names."""

    def named(data: dict[str, Any]) -> dict[str, Any]:
        params = {
            k: named(v) if isinstance(v, dict) else names.get(str(v), v) if k in PERSON_PARAMS else v
            for k, v in data["params"].items()
        }
        return data | {"params": params}

    return [named(note_data(n)) for n in notes]


def say(data: Any) -> str:
    """One stored note in the active language (its English text when the key is unknown)."""
    if isinstance(data, str):  # plans computed before notes were stored as data
        return data
    sentence = SENTENCES.get(data.get("key", ""))
    if sentence is None:
        return str(data.get("text", ""))
    params = {k: say(v) if isinstance(v, dict) else v for k, v in data.get("params", {}).items()}
    return str(sentence) % params
