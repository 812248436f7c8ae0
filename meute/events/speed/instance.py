"""The engine's input from the rows: participants' profiles, with consent filtering.

A person's profile text (offers, seeks, tags, activity code, decision-maker
flag) and their wishes feed the relevance score only if their latest
matchmaking decision is a yes; otherwise they are seated with a neutral
profile. Their *avoid* list is always honoured (see :mod:`meute.events.speed`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from meute.engine.relevance import Profile, RelevanceResult, score_profiles, to_pairing_instance
from meute.engine.rotations import PairingInstance, parse_instance
from meute.events.models import (
    MAX_DAY_MINUTES,
    MAX_FIRST_TABLE,
    MAX_ROUND_MINUTES,
    MAX_ROUNDS,
    MAX_TABLE_NUMBER,
    MAX_TABLE_SIZE,
    Registration,
    RotationPlan,
)
from meute.events.speed.selectors import consenting


def _company_key(r: Registration) -> str:
    # Colleagues are recognised by their organisation row, never by a typed name.
    org = r.person.organisation_id
    return f"organisation-{org}" if org else f"registration-{r.pk}"


def build_profiles(registrations: list[Registration]) -> list[Profile]:
    """Engine profiles of the participants (ids are registration ids as text)."""
    ids = {r.pk for r in registrations}
    consent = consenting(r.person_id for r in registrations)
    profiles = []
    for r in registrations:
        p = r.person
        avoid = tuple(str(o.pk) for o in r.avoids.all() if o.pk in ids and o.pk != r.pk)
        if p.pk in consent:
            naf_row = p.organisation.naf if p.organisation else None
            naf = naf_row.code if naf_row else ""
            profiles.append(
                Profile(
                    id=str(r.pk),
                    company=_company_key(r),
                    naf=naf,
                    decision_maker=p.is_decision_maker,
                    offers=r.offers,
                    seeks=r.seeks,
                    tags=tuple(t for t in (p.tags or []) if isinstance(t, str)),
                    # A wish to meet someone who refused matchmaking does not count: they stay neutral.
                    wishes=tuple(
                        str(o.pk)
                        for o in r.wishes.all()
                        if o.pk in ids and o.pk != r.pk and o.person_id in consent
                    ),
                    avoid=avoid,
                    name=p.full_name,
                    activity=naf_row.label if naf_row else "",
                )
            )
        else:
            profiles.append(Profile(id=str(r.pk), company=_company_key(r), avoid=avoid, name=p.full_name))
    return profiles


def build_instance(
    registrations: list[Registration], *, rounds: int, table_size: int
) -> tuple[PairingInstance, RelevanceResult]:
    profiles = build_profiles(registrations)
    result = score_profiles(profiles)
    doc = to_pairing_instance(profiles, result, rounds=rounds, table_size=table_size)
    return parse_instance(doc), result


def format_errors(plan: RotationPlan, count: int | None) -> dict[str, str]:
    """What makes a format impossible (for `count` participants, when given), by field."""
    errors: dict[str, str] = {}
    if plan.table_size < 2:
        errors["table_size"] = _("Format impossible : une table réunit au moins 2 personnes.")
    elif plan.table_size > MAX_TABLE_SIZE:
        errors["table_size"] = _("Format impossible : une table réunit au plus %(m)s personnes.") % {
            "m": MAX_TABLE_SIZE
        }
    if plan.rounds < 1:
        errors["rounds"] = _("Format impossible : il faut au moins un tour.")
    elif plan.rounds > MAX_ROUNDS:
        errors["rounds"] = _("Format impossible : au plus %(m)s tours.") % {"m": MAX_ROUNDS}
    if plan.round_minutes < 1:
        errors["round_minutes"] = _("Format impossible : un tour dure au moins une minute.")
    elif plan.round_minutes > MAX_ROUND_MINUTES:
        errors["round_minutes"] = _("Format impossible : un tour dure au plus %(m)s minutes.") % {
            "m": MAX_ROUND_MINUTES
        }
    if not 0 <= plan.break_minutes <= MAX_ROUND_MINUTES:
        errors["break_minutes"] = _("Format impossible : une pause dure de 0 à %(m)s minutes.") % {
            "m": MAX_ROUND_MINUTES
        }
    if plan.first_table < 1:
        errors["first_table"] = _("Format impossible : les tables sont numérotées à partir de 1.")
    elif plan.first_table > MAX_FIRST_TABLE:
        errors["first_table"] = _(
            "Format impossible : la première table porte un numéro d'au plus %(m)s."
        ) % {"m": MAX_FIRST_TABLE}
    if (
        not errors
        and plan.rounds * plan.round_minutes + (plan.rounds - 1) * plan.break_minutes > MAX_DAY_MINUTES
    ):
        errors["rounds"] = _(
            "Format impossible : %(r)s tours de %(m)s minutes ne tiennent pas dans une journée."
        ) % {
            "r": plan.rounds,
            "m": plan.round_minutes,
        }
    if count is None or errors:
        return errors
    if count < 2:
        errors["__all__"] = _("Format impossible : il faut au moins 2 participants (il y en a %(n)s).") % {
            "n": count
        }
        return errors
    if plan.table_size > count:
        errors["table_size"] = _(
            "Format impossible : %(k)s personnes par table pour %(n)s participants, il y aurait plus de places que de monde."
        ) % {"k": plan.table_size, "n": count}
    tables = -(-count // plan.table_size)
    if plan.first_table + tables - 1 > MAX_TABLE_NUMBER:
        errors["first_table"] = _(
            "Format impossible : %(t)s tables à partir de la table %(f)s dépasseraient la table %(m)s."
        ) % {"t": tables, "f": plan.first_table, "m": MAX_TABLE_NUMBER}
    if plan.table_size == 2 and plan.rounds > count - 1:
        errors["rounds"] = _(
            "Format impossible : avec %(n)s participants, chacun peut rencontrer au plus %(m)s personnes, "
            "donc au plus %(m)s tours."
        ) % {"n": count, "m": count - 1}
    return errors
