"""Sentences for the questionnaire's reasons, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meute.engine.recommend import Reason
from meute.networks.models import MeetingFormat, Purpose, Rhythm


def _labels(choices: type[Purpose] | type[MeetingFormat], items: tuple[str, ...]) -> str:
    return ", ".join(str(choices(i).label).lower() for i in items if i in choices.values)


def describe(reason: Reason) -> dict[str, object]:
    """{"text": …, "positive": …} for one reason."""
    code, value = reason.code, reason.value
    if code == "purposes":
        text = _("pour %(what)s") % {"what": _labels(Purpose, reason.items)}
    elif code == "no_purpose":
        text = _("ne répond pas à ce que vous cherchez")
    elif code == "open_sectors":
        text = _("ouvert à tous les secteurs")
    elif code == "your_sector":
        text = _("tourné vers votre secteur")
    elif code == "other_sector":
        text = _("tourné vers d'autres secteurs")
    elif code == "peers":
        n = int(value or 0)
        text = ngettext("%(n)d membre de votre secteur", "%(n)d membres de votre secteur", n) % {"n": n}
    elif code == "distance":
        km = int(value or 0)
        text = _("tout près de chez vous") if km < 2 else _("à %(km)d km") % {"km": km}
    elif code == "rhythm":
        text = str(Rhythm(str(value)).label).lower() if value in Rhythm.values else str(value)
    elif code == "time_fits":
        text = _("environ %(h)d h par mois, dans votre disponibilité") % {"h": int(value or 0)}
    elif code == "time_over":
        text = _("environ %(h)d h par mois, plus que ce que vous pouvez donner") % {"h": int(value or 0)}
    elif code == "formats":
        text = _("en %(what)s") % {"what": _labels(MeetingFormat, reason.items)}
    elif code == "seats_left":
        if value is None:  # the number is withheld (a network of fewer than 5 members)
            text = _("des places libres")
        else:
            n = int(value)
            text = ngettext("%(n)d place libre", "%(n)d places libres", n) % {"n": n}
    elif code == "full":
        text = _("complet : liste d'attente")
    else:
        text = code
    return {"text": text, "positive": reason.positive}
