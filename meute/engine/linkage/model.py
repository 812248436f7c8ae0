"""Fellegi–Sunter linkage of member-list records with Splink 5 on DuckDB (embedded).

:func:`link` takes normalised :class:`~meute.engine.linkage.columns.Record` rows
and returns who is whom: a person label per record, the pairs of the uncertain
band (with their per-comparison match weights) for a review queue, and honours
known decisions (pairs confirmed same or split). Parameters are estimated from
the records themselves: ``u`` by random sampling, ``m`` by expectation
maximisation on blocked pairs, the prior from deterministic rules; never from
labels. Splink and DuckDB are imported inside :func:`link`.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

from meute.engine.errors import EngineInputError
from meute.engine.linkage.columns import Record

__all__ = [
    "DEFAULT_THRESHOLD",
    "REVIEW_FLOOR",
    "Decision",
    "Linkage",
    "ScoredPair",
    "cluster",
    "link",
    "link_by_rules",
]

DEFAULT_THRESHOLD = 0.95
REVIEW_FLOOR = 0.5
Method = Literal["meute", "splink-default"]


@dataclass(frozen=True)
class ScoredPair:
    """Two records (indices into the input, ``left < right``) with Splink's verdict.

    ``weights`` is ``(comparison, match weight in bits)`` for each comparison,
    term-frequency adjustment included; they add up, with the prior, to ``match_weight``.
    """

    left: int
    right: int
    match_weight: float
    match_probability: float
    weights: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Decision:
    """A reviewer's verdict on two records: ``same`` True (one person) or False (two)."""

    left: int
    right: int
    same: bool


@dataclass(frozen=True)
class Linkage:
    """``person[i]`` is the person of record ``i`` (0, 1, … in order of first record);
    ``review`` the undecided pairs with ``REVIEW_FLOOR <= match_probability < threshold``,
    strongest first; ``n_pairs`` the number of pairs Splink scored."""

    person: tuple[int, ...]
    review: tuple[ScoredPair, ...]
    n_pairs: int
    threshold: float

    @property
    def n_people(self) -> int:
        return len(set(self.person))


class _Clusters:
    """Union–find with cannot-link constraints between clusters."""

    def __init__(self, n: int, groups: Sequence[object] | None) -> None:
        self.parent = list(range(n))
        self.apart: dict[int, set[int]] = {}
        self.groups: list[set[object]] | None = None if groups is None else [{g} for g in groups]

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if rb in self.apart.get(ra, ()):
            return False
        if self.groups is not None:
            ga, gb = self.groups[ra], self.groups[rb]
            if not ga.isdisjoint(gb):
                return False
        if len(self.apart.get(ra, ())) < len(self.apart.get(rb, ())):
            ra, rb = rb, ra
        self.parent[rb] = ra
        if self.groups is not None:
            small, big = sorted((self.groups[ra], self.groups[rb]), key=len)
            big |= small
            self.groups[ra] = big
            self.groups[rb] = set()
        moved = self.apart.pop(rb, set())
        for other in moved:
            self.apart[other].discard(rb)
            self.apart[other].add(ra)
        self.apart.setdefault(ra, set()).update(moved)
        return True

    def keep_apart(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.apart.setdefault(ra, set()).add(rb)
        self.apart.setdefault(rb, set()).add(ra)
        return True


def cluster(
    n: int,
    edges: Sequence[tuple[int, int, float]],
    decisions: Sequence[Decision] = (),
    groups: Sequence[object] | None = None,
) -> tuple[int, ...]:
    """Person label of each of ``n`` records from match ``edges`` ``(i, j, weight)``.

    Decisions "same" join first; decisions "split" then keep their two records'
    clusters apart: edges are added strongest first and an edge that would join
    two kept-apart clusters is skipped. With ``groups`` (the file of each record),
    an edge that would put two records of one group in one person is skipped as
    well ("same" decisions excepted). Without decisions nor groups this is the
    connected components of the edges. Raises EngineInputError when decisions contradict
    (split two records that "same" decisions join). O(E log E + E·α(n) + D).

    >>> cluster(4, [(0, 1, 9.0), (1, 2, 5.0)], [Decision(0, 2, same=False)])
    (0, 0, 1, 2)
    """
    clusters = _Clusters(n, None)
    for d in decisions:
        if not (0 <= d.left < n and 0 <= d.right < n):
            raise EngineInputError(f"decision on records {d.left} and {d.right}: no such record")
        if d.same:
            clusters.union(d.left, d.right)
    for d in decisions:
        if not d.same and not clusters.keep_apart(d.left, d.right):
            raise EngineInputError(
                f"decisions contradict: records {d.left} and {d.right} are split but joined by 'same' decisions"
            )
    if groups is not None:
        # Decided clusters may hold two records of a group: their groups are the union.
        clusters.groups = [set() for _ in range(n)]
        for i in range(n):
            clusters.groups[clusters.find(i)].add(groups[i])
    for i, j, _ in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        clusters.union(i, j)
    labels: dict[int, int] = {}
    return tuple(labels.setdefault(clusters.find(i), len(labels)) for i in range(n))


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # Splink logs its progress at INFO and some advice at WARNING; a command's report is ours.
    logger = logging.getLogger("splink")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


_COLUMNS = (
    "surname",
    "first_name",
    "company",
    "siren",
    "email",
    "work_domain",
    "mobile",
    "landline",
    "place",
    "birth_date",
)


def _table(records: Sequence[Record]) -> dict[str, list[Any]]:
    names = [f.name for f in fields(Record) if f.name not in ("file", "row")]
    table: dict[str, list[Any]] = {"unique_id": list(range(len(records)))}
    for name in names:
        table[name] = [getattr(r, name) or None for r in records]
    table["fi"] = [r.first_name[:1] or None for r in records]
    table["place"] = [r.commune or r.postcode or None for r in records]
    table["mobile"] = [r.phone if r.phone_kind == "mobile" else None for r in records]
    table["landline"] = [r.phone if r.phone_kind == "landline" else None for r in records]
    return table


def _settings(present: set[str], method: Method) -> dict[str, Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons: list[Any] = []
    if method == "splink-default":
        # Splink's library comparisons with their default levels: the baseline.
        for col, comp in (
            ("first_name", cl.NameComparison("first_name")),
            ("surname", cl.NameComparison("surname")),
            ("email", cl.EmailComparison("email")),
            ("mobile", cl.ExactMatch("mobile")),
            ("landline", cl.ExactMatch("landline")),
            ("company", cl.JaroWinklerAtThresholds("company")),
            ("siren", cl.ExactMatch("siren")),
            ("place", cl.ExactMatch("place")),
            ("birth_date", cl.ExactMatch("birth_date")),
        ):
            if col in present:
                comparisons.append(comp)
    else:
        if "first_name" in present:
            comparisons.append(
                cl.CustomComparison(
                    [
                        cll.NullLevel("first_name"),
                        cll.ExactMatchLevel("first_name", term_frequency_adjustments=True),
                        cll.CustomLevel(
                            "(length(first_name_l) <= 2 OR length(first_name_r) <= 2)"
                            " AND first_initials_l = first_initials_r",
                            "initials (JP, Jean Pierre)",
                        ),
                        cll.JaroWinklerLevel("first_name", 0.9),
                        cll.CustomLevel(
                            "split_part(first_name_l, ' ', 1) = split_part(first_name_r, ' ', 1)",
                            "first word (Jean, Jean Pierre)",
                        ),
                        cll.ElseLevel(),
                    ],
                    output_column_name="first_name",
                )
            )
        if "surname" in present:
            comparisons.append(
                cl.CustomComparison(
                    [
                        cll.NullLevel("surname"),
                        cll.ExactMatchLevel("surname", term_frequency_adjustments=True),
                        cll.DamerauLevenshteinLevel("surname", 1),
                        cll.JaroWinklerLevel("surname", 0.88),
                        cll.ElseLevel(),
                    ],
                    output_column_name="surname",
                )
            )
        if "email" in present:
            # Exact only: no fuzzy or local-part level (see docs/algorithms/linkage.md).
            comparisons.append(cl.ExactMatch("email"))
        if "mobile" in present:
            # Mobiles only: a landline is most often the firm's switchboard, so it
            # is evidence of the workplace (below), not of the person.
            comparisons.append(cl.ExactMatch("mobile").configure(term_frequency_adjustments=True))
        if present & {"company", "siren", "place", "landline", "work_domain"}:
            # One comparison for the workplace. SIREN, firm name, switchboard, the
            # domain of a work e-mail and the commune all say "same firm" (the
            # commune of a list is the firm's): counted apart, they would let
            # colleagues outweigh their different names.
            def both(col: str) -> str:
                return f"({col}_l IS NOT NULL AND {col}_r IS NOT NULL)"

            firm_known = f"({both('siren')} OR {both('company')} OR {both('work_domain')})"
            same = (
                "(siren_l = siren_r OR company_l = company_r OR landline_l = landline_r"
                " OR work_domain_l = work_domain_r)"
            )
            comparisons.append(
                cl.CustomComparison(
                    [
                        cll.CustomLevel(
                            f"NOT {firm_known} AND NOT {both('landline')} AND NOT {both('place')}",
                            "nothing to compare",
                        ).configure(is_null_level=True),
                        cll.CustomLevel(same, "same firm (SIREN, name, switchboard or e-mail domain)"),
                        cll.JaroWinklerLevel("company", 0.9),
                        cll.CustomLevel(firm_known, "another firm"),
                        cll.CustomLevel(both("landline"), "firm unknown, other landlines"),
                        cll.CustomLevel("place_l = place_r", "firm unknown, same commune"),
                        cll.ElseLevel().configure(label_for_charts="firm unknown, another commune"),
                    ],
                    output_column_name="firm",
                )
            )
        if "birth_date" in present:
            comparisons.append(cl.ExactMatch("birth_date"))
    rules: list[Any] = [block_on(*cols) for cols in _BLOCKING if set(cols) - {"fi"} <= present]
    return {
        "settings": SettingsCreator(
            link_type="dedupe_only",
            comparisons=comparisons,
            blocking_rules_to_generate_predictions=rules,
            retain_intermediate_calculation_columns=True,
            retain_matching_columns=False,
            additional_columns_to_retain=[],
        ),
        "rules": rules,
    }


_BLOCKING: tuple[tuple[str, ...], ...] = (
    ("email",),
    ("mobile",),
    ("landline", "fi"),
    ("surname", "fi"),
    ("first_name", "company"),
    ("surname", "company"),
    ("siren", "fi"),
    ("first_name", "place"),
)


def link(
    records: Sequence[Record],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    decisions: Sequence[Decision] = (),
    seed: int = 0,
    method: Method = "meute",
    one_row_per_file: bool = True,
    spark: Any = None,
) -> Linkage:
    """Link ``records`` into people.

    Trains a Splink model on the records (u by random sampling with ``seed``,
    m by EM, no labels), scores the blocked pairs, joins pairs whose match
    probability is at least ``threshold`` (with :func:`cluster`, honouring
    ``decisions``) and returns the pairs in ``[REVIEW_FLOOR, threshold)`` not
    decided yet for review. ``method="splink-default"`` uses Splink's library
    comparisons without term frequencies (the baseline of the benchmarks).
    Deterministic for a seed. Time about O(n + blocked pairs); memory that of DuckDB.

    ``spark``: a ``pyspark.sql.SparkSession`` to run the same settings on Spark
    (Splink's Spark backend, past one machine; the optional group ``spark``),
    instead of an embedded DuckDB.
    """
    n = len(records)
    if n < 2:
        return Linkage(tuple(range(n)), (), 0, threshold)
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    table = _table(records)
    present = {c for c in _COLUMNS if sum(v is not None for v in table[c]) >= 2}
    if not present & {"surname", "first_name"}:
        raise EngineInputError("no record has a name")
    built = _settings(present, method)
    con = duckdb.connect(":memory:")
    with _quiet():
        db_api: Any
        if spark is not None:
            from splink import SparkAPI

            db_api = SparkAPI(spark_session=spark)
        else:
            db_api = DuckDBAPI(con)
        frame = db_api.register(table)
        linker = Linker(frame, built["settings"], log_level=None)
        training = linker.training
        deterministic: list[Any] = [
            block_on(*c) for c in (("email",), ("surname", "first_name", "mobile")) if set(c) <= present
        ]
        if deterministic:
            training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
        training.estimate_u_using_random_sampling(
            max_pairs=min(3e5, n * (n - 1) / 2), seed=seed, num_chunks=1, min_count_per_level=None
        )
        sessions = [("surname", "first_name"), ("email",)]
        trained = 0
        for cols in sessions:
            if set(cols) <= present:
                with contextlib.suppress(Exception):  # a block without pairs trains nothing
                    training.estimate_parameters_using_expectation_maximisation(
                        block_on(*cols), estimate_without_term_frequencies=True
                    )
                    trained += 1
        if not trained:
            raise EngineInputError(
                f"{n} rows, too few sharing a name or an e-mail to estimate the model: link more lists together"
            )
        predictions = linker.inference.predict(threshold_match_probability=REVIEW_FLOOR, warning_mode="never")
        comparison_names = [str(c.output_column_name) for c in linker._settings_obj.comparisons]
        if spark is not None:
            rows = [
                (
                    r["unique_id_l"],
                    r["unique_id_r"],
                    r["match_weight"],
                    r["match_probability"],
                    *(r[f"mw_{nm}"] + (r.get(f"mw_tf_adj_{nm}") or 0) for nm in comparison_names),
                )
                for r in predictions.as_record_list()
            ]
            rows.sort(key=lambda r: (int(r[0]), int(r[1])))  # Spark returns them in no fixed order
        else:
            out_cols = [c[0] for c in con.execute(f"DESCRIBE {predictions.physical_name}").fetchall()]
            parts = []
            for name in comparison_names:
                tf = f' + coalesce("mw_tf_adj_{name}", 0)' if f"mw_tf_adj_{name}" in out_cols else ""
                parts.append(f'"mw_{name}"{tf}')
            rows = con.execute(
                f"SELECT unique_id_l, unique_id_r, match_weight, match_probability, {', '.join(parts)}"
                f" FROM {predictions.physical_name}"
            ).fetchall()
    con.close()
    decided = {(min(d.left, d.right), max(d.left, d.right)) for d in decisions}
    scored = []
    for row in rows:
        i, j = sorted((int(row[0]), int(row[1])))
        weights = tuple((nm, round(float(w), 3)) for nm, w in zip(comparison_names, row[4:], strict=True))
        scored.append(ScoredPair(i, j, float(row[2]), float(row[3]), weights))
    edges = [(p.left, p.right, p.match_weight) for p in scored if p.match_probability >= threshold]
    person = cluster(n, edges, decisions, [r.file for r in records] if one_row_per_file else None)
    # The pairs left apart: below the threshold, or above it but refused by a decision or a file.
    review = [p for p in scored if person[p.left] != person[p.right] and (p.left, p.right) not in decided]
    review.sort(key=lambda p: -p.match_weight)
    return Linkage(person, tuple(review), len(rows), threshold)


def match_weight_of(probability: float) -> float:
    """Match weight in bits of a match probability (log2 of the odds)."""
    return math.log2(probability / (1 - probability))


def link_by_rules(
    records: Sequence[Record], *, decisions: Sequence[Decision] = (), one_row_per_file: bool = True
) -> Linkage:
    """Link ``records`` by exact rules, for sets too small to estimate the model from.

    Two records are one person when they share an e-mail, or the same surname and
    first name with the same mobile, SIREN or firm name; the pairs with the same
    surname and first name but nothing else in common go to review (probability
    0.5, no weights: there is no model to weigh them). ``decisions`` and
    ``one_row_per_file`` are honoured as in :func:`link` (through :func:`cluster`).
    O(n + pairs within a key).

    >>> a = Record("a.csv", 2, surname="dupont", first_name="jean", email="jd@x.fr")
    >>> b = Record("b.csv", 2, surname="dupont", first_name="j", email="jd@x.fr")
    >>> c = Record("b.csv", 3, surname="dupont", first_name="jean")
    >>> result = link_by_rules([a, b, c])
    >>> result.person, [(p.left, p.right) for p in result.review]
    ((0, 0, 1), [(0, 2)])
    """
    n = len(records)
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, r in enumerate(records):
        if r.email:
            groups.setdefault(("email", r.email), []).append(i)
        if r.surname and r.first_name:
            groups.setdefault(("name", r.surname, r.first_name), []).append(i)
    edges: list[tuple[int, int, float]] = []
    candidates: set[tuple[int, int]] = set()
    for key, members in groups.items():
        for k, i in enumerate(members):
            for j in members[k + 1 :]:
                a, b = records[i], records[j]
                if key[0] == "email":
                    edges.append((i, j, 2.0))
                elif (
                    (a.phone and a.phone_kind == "mobile" and a.phone == b.phone)
                    or (a.siren and a.siren == b.siren)
                    or (a.company and a.company == b.company)
                ):
                    edges.append((i, j, 1.0))
                else:
                    candidates.add((i, j))
    person = cluster(n, edges, decisions, [r.file for r in records] if one_row_per_file else None)
    decided = {(min(d.left, d.right), max(d.left, d.right)) for d in decisions}
    review = tuple(
        ScoredPair(i, j, 0.0, 0.5)
        for i, j in sorted(candidates)
        if person[i] != person[j] and (i, j) not in decided
    )
    return Linkage(person, review, len(edges) + len(candidates), 1.0)
