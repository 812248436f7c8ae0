"""Relevance of each meeting: profiles (``meute.profiles/1``) -> weights (``meute.pairing-instance/1``).

A pair (i, j) is worth more when what i seeks is what j offers and the other way
round (French free text, compared on stems and business concepts), when their
activities are complementary (NAF table), when they meet decision-makers, share
tags, or asked to meet. Each weight comes with its reasons, in French, for the
pairs worth showing. See docs/algorithms/relevance.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from meute.engine import text
from meute.engine.errors import EngineInputError
from meute.engine.notes import Note
from meute.engine.validation import MAX_ROUNDS, MAX_TABLE_SIZE, document, integer, rows_with_ids

__all__ = [
    "COMPLEMENTS",
    "FORMAT_IN",
    "FORMAT_OUT",
    "NAF_CONCEPTS",
    "Profile",
    "Reason",
    "RelevanceResult",
    "parse_profiles",
    "score_profiles",
    "to_pairing_instance",
    "top_partners",
]

FORMAT_IN = "meute.profiles/1"
FORMAT_OUT = "meute.pairing-instance/1"

# Score parts, on the scale of a cosine (0..1 per direction). A weight is 100 x score.
COMPLEMENT_BONUS = 0.08  # complementary activities (NAF table)
TAG_BONUS = 0.05  # per shared tag, up to three
DECIDER_FACTOR = 0.10  # per decision-maker in the pair
COMPETITOR_FACTOR = 0.5  # same NAF class, unless both seek partners
WISH_BONUS = 0.4  # one-sided wish; a mutual wish counts twice and becomes `requested`
REASONS_PER_PERSON = 3  # each person's best pairs get their reasons written out

_NAF = re.compile(r"^\d{2}(\.\d{1,2}[A-Z]?)?$")
# Words by which a seeker says they look for peers of their own trade.
_PARTNER_STEMS = frozenset(
    text.stems("partenaire partenaires confrères sous-traitance sous-traitant cotraitance")
)

# What a NAF code says someone offers, by longest prefix: the code is often more
# telling than a short "offers" text ("43.22A" is a plumber whatever they wrote).
# fmt: off
NAF_CONCEPTS: dict[str, tuple[str, ...]] = {
    "01.21": ("vin",), "11.02": ("vin",), "10.71": ("commerce",), "18.1": ("impression",),
    "41": ("batiment",), "42": ("batiment",), "43": ("batiment",),
    "43.21": ("batiment", "electricite"), "43.22": ("batiment", "plomberie"), "43.34": ("batiment", "peinture"),
    "47": ("commerce",), "49.41": ("transport",), "49.42": ("demenagement",), "52": ("transport",),
    "55": ("evenement",), "56": ("traiteur",), "56.10": ("commerce",), "61": ("telephonie",),
    "62": ("informatique",), "63": ("informatique",), "64": ("banque",), "65": ("assurance",),
    "66": ("assurance",), "68": ("immobilier",), "69.10": ("juridique",), "69.20": ("compta",),
    "70.22": ("conseil",), "71.11": ("architecture",), "73": ("communication",), "74.20": ("photo",),
    "74.30": ("traduction",), "77.1": ("vehicules",), "78": ("rh",), "80": ("securite",),
    "81.21": ("nettoyage",), "81.30": ("espaces_verts",), "82.30": ("evenement",), "85.59": ("formation",),
}
# fmt: on

# Pairs of activities that work together (prefixes of NAF codes, either order).
# Not competitors, not random: suppliers and prescribers of each other.
COMPLEMENTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("41", "42", "43"), ("71", "68", "81")),
    (("43",), ("43",)),  # trades sharing building sites (same class excluded below)
    (("71",), ("74.10",)),
    (("68",), ("74.10", "74.20", "81", "49.42")),
    (("69", "70"), ("64", "65", "66")),
    (("69.10",), ("69.20", "70")),
    (("64",), ("66",)),
    (("73",), ("18", "74", "62.01", "58", "59")),
    (("18",), ("74.10", "49")),
    (("56",), ("55", "82", "01.21", "11", "10.71")),
    (("55",), ("82", "01.21", "81.21")),
    (("49", "52"), ("77", "66")),
    (("78",), ("85", "70", "66", "69.10", "96")),
    (("62",), ("61", "80", "69.20", "49.42")),
    (("80",), ("43.21", "66")),
    (("25", "28", "29", "30"), ("49", "74.30", "78")),
)


@dataclass(frozen=True)
class Profile:
    """What one participant says about themselves (one row of ``meute.profiles/1``)."""

    id: str
    company: str = ""
    naf: str = ""
    decision_maker: bool = False
    offers: str = ""
    seeks: str = ""
    tags: tuple[str, ...] = ()
    wishes: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    name: str = ""
    #: the activity in words (the NAF label): reasons name it rather than the code
    activity: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Reason:
    """Why a pair weighs what it weighs: ``why`` for everyone (the two people included);
    ``caution`` for the organiser only (what lowered the weight, e.g. probable competitors)."""

    between: tuple[str, str]
    why: str
    caution: str = ""


@dataclass(frozen=True)
class RelevanceResult:
    """Weights (n x n non-negative ints, symmetric, zero diagonal) and what explains them."""

    ids: tuple[str, ...]
    weights: np.ndarray
    requested: tuple[tuple[str, str], ...]
    forbidden: tuple[tuple[str, str], ...]
    reasons: tuple[Reason, ...] = field(default=())
    #: What the organiser should know: the weights are all zero because no profile says anything useful.
    notes: tuple[Note, ...] = field(default=())


# --------------------------------------------------------------------------- input


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EngineInputError(f"{where}: expected a list of strings")
    return tuple(value)


def parse_profiles(data: Any) -> tuple[list[Profile], int, int]:
    """Check a ``meute.profiles/1`` document; return (profiles, rounds, table_size).

    Raises
    ------
    EngineInputError
        With one line naming the field or id at fault.

    Notes
    -----
    O(n + total wishes and avoids).
    """
    document(data, FORMAT_IN)
    rounds = integer(data.get("rounds"), "rounds", 1, maximum=MAX_ROUNDS)
    table_size = integer(data.get("table_size"), "table_size", 2, maximum=MAX_TABLE_SIZE)
    profiles: list[Profile] = []
    for r, pid in rows_with_ids(data.get("participants"), "participants"):
        for key in ("company", "naf", "offers", "seeks", "name", "activity"):
            if r.get(key) is not None and not isinstance(r[key], str):
                raise EngineInputError(f"participant {pid}: {key}: expected a string")
        naf = (r.get("naf") or "").strip().upper()
        if naf and not _NAF.match(naf):
            raise EngineInputError(
                f"participant {pid}: naf: {r['naf']!r} is not a NAF rev. 2 code like '43.22A'"
            )
        dm = r.get("decision_maker", False)
        if not isinstance(dm, bool):
            raise EngineInputError(f"participant {pid}: decision_maker: expected true or false")
        profiles.append(
            Profile(
                id=pid,
                company=r.get("company") or pid,
                naf=naf,
                decision_maker=dm,
                offers=r.get("offers") or "",
                seeks=r.get("seeks") or "",
                tags=_str_list(r.get("tags"), f"participant {pid}: tags"),
                wishes=_str_list(r.get("wishes"), f"participant {pid}: wishes"),
                avoid=_str_list(r.get("avoid"), f"participant {pid}: avoid"),
                name=r.get("name") or "",
                activity=(r.get("activity") or "").strip(),
            )
        )
    seen = {p.id for p in profiles}
    for p in profiles:
        for key, others in (("wishes", p.wishes), ("avoid", p.avoid)):
            for o in others:
                if o not in seen:
                    raise EngineInputError(f"participant {p.id}: {key}: unknown participant {o!r}")
                if o == p.id:
                    raise EngineInputError(f"participant {p.id}: {key}: names themselves")
    return profiles, rounds, table_size


# --------------------------------------------------------------------------- scoring


def _naf_concepts(naf: str) -> tuple[str, ...]:
    for n in range(len(naf), 1, -1):
        hit = NAF_CONCEPTS.get(naf[:n])
        if hit:
            return hit
    return ()


def _prefix_mask(nafs: list[str], prefixes: tuple[str, ...]) -> np.ndarray:
    return np.array([bool(n) and n.startswith(prefixes) for n in nafs])


def _complement_matrix(nafs: list[str]) -> np.ndarray:
    """Boolean n x n: activities i and j are complementary (COMPLEMENTS), not the same class."""
    n = len(nafs)
    c = np.zeros((n, n), dtype=bool)
    for left, right in COMPLEMENTS:
        a, b = _prefix_mask(nafs, left), _prefix_mask(nafs, right)
        c |= np.outer(a, b) | np.outer(b, a)
    codes = np.array(nafs, dtype=object)
    same = (codes[:, None] == codes[None, :]) & (codes[:, None] != "")
    c &= ~same
    np.fill_diagonal(c, False)
    return c


@dataclass
class _Features:
    seek: sparse.csr_matrix
    offer: sparse.csr_matrix
    vocab: list[str]
    idf: np.ndarray
    seek_concepts: list[set[str]]
    offer_concepts: list[set[str]]
    seek_words: list[dict[str, str]]  # stem -> first surface form in the seeks text


def _features(profiles: list[Profile]) -> _Features:
    seek_docs, offer_docs, seek_c, offer_c, seek_w = [], [], [], [], []
    for p in profiles:
        s_feats = text.analyze(p.seeks)
        offer_text = text.strip_audience(p.offers) + " " + " ".join(p.tags)
        o_feats = text.analyze(offer_text)
        naf_c = _naf_concepts(p.naf)
        for c in naf_c:
            if f"#{c}" not in o_feats:
                o_feats += [f"#{c}", f"#{c}"]
        seek_docs.append(s_feats)
        offer_docs.append(o_feats)
        seek_c.append(set(text.concepts(p.seeks)))
        offer_c.append(set(text.concepts(offer_text)) | set(naf_c))
        words: dict[str, str] = {}
        for st, w in text.words(p.seeks):
            words.setdefault(st, w)
        seek_w.append(words)
    if not any(seek_docs) and not any(offer_docs):
        # Nobody wrote a profile, or only stop words: no vocabulary, every cosine 0
        # (scikit-learn refuses to fit on it: "empty vocabulary").
        empty = sparse.csr_matrix((len(profiles), 0))
        return _Features(empty, empty, [], np.zeros(0), seek_c, offer_c, seek_w)
    # Sublinear tf: saying "site" three times is not three times the need.
    vec = TfidfVectorizer(analyzer=lambda feats: feats, sublinear_tf=True, norm="l2")
    vec.fit(seek_docs + offer_docs)
    return _Features(
        seek=vec.transform(seek_docs).tocsr(),
        offer=vec.transform(offer_docs).tocsr(),
        vocab=list(vec.get_feature_names_out()),
        idf=vec.idf_,
        seek_concepts=seek_c,
        offer_concepts=offer_c,
        seek_words=seek_w,
    )


def _seeks_partners(p: Profile) -> bool:
    return any(s in _PARTNER_STEMS for s in text.stems(p.seeks))


def score_profiles(profiles: list[Profile]) -> RelevanceResult:
    """Relevance of every pair of profiles, with requested/forbidden pairs and reasons.

    Parameters
    ----------
    profiles : list of Profile
        Ids unique; wishes and avoid name other profiles (``parse_profiles`` checks this).

    Returns
    -------
    RelevanceResult
        ``weights[i, j] = round(100 x score)``: non-negative ints, symmetric, zero diagonal;
        0 for colleagues and for pairs one of whom avoids the other.

    Notes
    -----
    Score of (i, j) = (cos(seeks_i, offers_j) + cos(seeks_j, offers_i)) x decision-makers
    x competitors, + complementary activities + shared tags + wishes. Texts become
    TF-IDF vectors of stems, stem bigrams and concept tokens (meute.engine.text), so
    all cosines are one sparse product: O(n^2 + nnz) time and O(n^2) memory for n
    profiles (2,000 profiles take well under a second).

    Examples
    --------
    >>> r = score_profiles([Profile("a", seeks="un expert-comptable"),
    ...                     Profile("b", offers="comptabilité des artisans"), Profile("c", offers="vins")])
    >>> int(r.weights[0, 1]) > int(r.weights[0, 2])
    True
    """
    n = len(profiles)
    ids = tuple(p.id for p in profiles)
    if n == 0:
        return RelevanceResult(ids, np.zeros((0, 0), dtype=np.int64), (), ())
    f = _features(profiles)
    direct = (f.seek @ f.offer.T).toarray()  # direct[i, j]: j offers what i seeks
    score = direct + direct.T

    dm = np.array([p.decision_maker for p in profiles], dtype=float)
    score *= 1.0 + DECIDER_FACTOR * (dm[:, None] + dm[None, :])

    nafs = [p.naf for p in profiles]
    codes = np.array(nafs, dtype=object)
    same_class = (codes[:, None] == codes[None, :]) & (codes[:, None] != "")
    partners = np.array([_seeks_partners(p) for p in profiles])
    # Same activity: likely competitors, unless both say they look for peers.
    score = np.where(same_class & ~np.outer(partners, partners), score * COMPETITOR_FACTOR, score)
    complement = _complement_matrix(nafs)
    score += COMPLEMENT_BONUS * complement

    tag_sets = [{text.fold(t).strip() for t in p.tags if t.strip()} for p in profiles]
    shared_tags = np.zeros((n, n))
    if any(tag_sets):
        vocab = sorted(set().union(*tag_sets))
        t_index = {t: k for k, t in enumerate(vocab)}
        t_rows = [i for i, ts in enumerate(tag_sets) for _ in ts]
        t_cols = [t_index[t] for ts in tag_sets for t in ts]
        tm = sparse.csr_matrix((np.ones(len(t_rows)), (t_rows, t_cols)), shape=(n, len(vocab)))
        shared_tags = (tm @ tm.T).toarray()
        score += TAG_BONUS * np.minimum(shared_tags, 3)

    index = {pid: k for k, pid in enumerate(ids)}
    wish = np.zeros((n, n), dtype=bool)
    for i, p in enumerate(profiles):
        for o in p.wishes:
            wish[i, index[o]] = True
    score += WISH_BONUS * (wish.astype(float) + wish.T)
    mutual = wish & wish.T

    blocked = np.zeros((n, n), dtype=bool)
    for i, p in enumerate(profiles):
        for o in p.avoid:
            blocked[i, index[o]] = blocked[index[o], i] = True
    companies = np.array([p.company or p.id for p in profiles], dtype=object)
    colleagues = companies[:, None] == companies[None, :]
    score[blocked | colleagues] = 0.0
    np.fill_diagonal(score, 0.0)
    weights = np.rint(100.0 * np.maximum(score, 0.0)).astype(np.int64)
    weights = np.maximum(weights, weights.T)  # exact symmetry whatever the rounding

    iu = np.argwhere(np.triu(blocked, 1))
    forbidden = tuple((ids[i], ids[j]) for i, j in iu)
    iu = np.argwhere(np.triu(mutual & ~blocked & ~colleagues, 1))
    requested = tuple((ids[i], ids[j]) for i, j in iu)

    # The pairs worth explaining: each person's best pairs, and every requested pair.
    shown: set[tuple[int, int]] = set()
    if n > 1:
        k = min(REASONS_PER_PERSON, n - 1)
        top = np.argpartition(-weights, k - 1, axis=1)[:, :k]
        for i in range(n):
            for j in top[i]:
                if i != j and weights[i, j] > 0:
                    shown.add((min(i, j), max(i, j)))
    shown |= {(index[a], index[b]) for a, b in requested}
    reasons = tuple(
        Reason((ids[i], ids[j]), *_why(profiles, f, i, j, complement, same_class, shared_tags, wish))
        for i, j in sorted(shown)
    )
    notes: tuple[Note, ...] = ()
    if n > 1 and not weights.any():
        # Walk-ins still get a plan: every pair weighs 0 and the schedule spreads the meetings.
        if not any(p.offers.strip() or p.seeks.strip() for p in profiles):
            notes = (
                Note("no_profiles", "nobody filled in a profile: meetings are spread without relevance"),
            )
        else:
            notes = (
                Note(
                    "no_relevance",
                    "no profile shares a meaningful word with another: meetings are spread without relevance",
                ),
            )
    return RelevanceResult(ids, weights, requested, forbidden, reasons, notes)


def _need_phrases(profiles: list[Profile], f: _Features, i: int, j: int) -> list[str]:
    """Why j answers what i seeks, in words: shared concepts first, else the strongest shared word."""
    a, b = profiles[i].label, profiles[j].label
    out = []
    for name in sorted(f.seek_concepts[i] & f.offer_concepts[j]):
        c = text.concept(name)
        out.append(f"{a} cherche {c.seek} ; {b} {c.offer}")
        if len(out) == 2:
            break
    if out:
        return out
    row_s, row_o = f.seek.getrow(i), f.offer.getrow(j)
    common = set(row_s.indices) & set(row_o.indices)
    best, best_w = None, 0.0
    for col in common:
        feat = f.vocab[col]
        if feat.startswith("#") or "_" in feat:
            continue
        w = f.idf[col]
        if w > best_w and feat in f.seek_words[i]:
            best, best_w = feat, w
    if best is not None:
        out.append(f"{a} cherche « {f.seek_words[i][best]} » ; {b} le propose")
    return out


def _why(
    profiles: list[Profile],
    f: _Features,
    i: int,
    j: int,
    complement: np.ndarray,
    same_class: np.ndarray,
    shared_tags: np.ndarray,
    wish: np.ndarray,
) -> tuple[str, str]:
    """The reasons behind the weight of (i, j), in French, most telling first; and the
    organiser's caution (what lowered it), kept apart: the two people read the reasons."""
    p, q = profiles[i], profiles[j]
    parts = _need_phrases(profiles, f, i, j) + _need_phrases(profiles, f, j, i)
    if wish[i, j] and wish[j, i]:
        parts.insert(0, f"{p.label} et {q.label} ont demandé à se rencontrer")
    elif wish[i, j]:
        parts.insert(0, f"{p.label} a demandé à rencontrer {q.label}")
    elif wish[j, i]:
        parts.insert(0, f"{q.label} a demandé à rencontrer {p.label}")
    if complement[i, j]:
        parts.append(f"activités complémentaires ({_activity(p)} et {_activity(q)})")
    caution = f"même activité ({_activity(p)}) : concurrents probables" if same_class[i, j] else ""
    if shared_tags[i, j]:
        common = sorted({t for t in p.tags} & {t for t in q.tags}) or sorted(p.tags)
        parts.append("labels en commun : " + ", ".join(common))
    deciders = [x.label for x in (p, q) if x.decision_maker]
    if len(deciders) == 2:
        parts.append(f"{deciders[0]} et {deciders[1]} sont décideurs")
    elif deciders:
        parts.append(f"{deciders[0]} est décideur")
    if not parts:
        parts.append(f"{p.label} et {q.label} n'ont pas de besoin en commun déclaré")
    return " ; ".join(parts), caution


def _activity(p: Profile) -> str:
    return p.activity or f"NAF {p.naf}"


# --------------------------------------------------------------------------- output


def to_pairing_instance(
    profiles: list[Profile], result: RelevanceResult, *, rounds: int, table_size: int
) -> dict[str, Any]:
    """The ``meute.pairing-instance/1`` document of scored profiles.

    Notes
    -----
    O(n^2) (the weight matrix as lists).
    """
    return {
        "format": FORMAT_OUT,
        "rounds": rounds,
        "table_size": table_size,
        "participants": [{"id": p.id, "company": p.company or p.id} for p in profiles],
        "weights": result.weights.tolist(),
        "forbidden": [list(pair) for pair in result.forbidden],
        "requested": [list(pair) for pair in result.requested],
        "reasons": [
            {"between": list(r.between), "why": r.why} | ({"caution": r.caution} if r.caution else {})
            for r in result.reasons
        ],
    }


def top_partners(result: RelevanceResult, k: int = 3) -> dict[str, list[str]]:
    """Each person's k best partners by weight (ties broken by input order).

    Notes
    -----
    O(n^2 log n).
    """
    w = result.weights
    out = {}
    for i, pid in enumerate(result.ids):
        order = sorted((j for j in range(len(result.ids)) if j != i), key=lambda j: (-w[i, j], j))
        out[pid] = [result.ids[j] for j in order[:k]]
    return out
