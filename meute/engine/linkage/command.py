"""What ``meute link`` does between reading its files and writing its outputs.

Plain data in and out, so that the command line (``meute/engine/cli.py``, the
only place with file I/O) and the observatory app share it: :func:`link_files`
takes ``(name, bytes)`` pairs and returns the ``file,row,person`` CSV text, the
review CSV text and the lines of the report.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from meute.engine.errors import EngineInputError
from meute.engine.linkage.columns import Problem, Record, records_from_table
from meute.engine.linkage.model import DEFAULT_THRESHOLD, Decision, link
from meute.engine.linkage.read import read_table
from meute.engine.spreadsheet import csv_writer  # formulas neutralised in every CSV we write

__all__ = ["LinkRun", "link_files", "parse_decisions", "spark_session"]

_SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class LinkRun:
    """The outputs of one run: ``people_csv`` (``file,row,person``), ``review_csv``
    (uncertain pairs with per-comparison weights) and ``report`` lines."""

    people_csv: str
    review_csv: str
    report: tuple[str, ...]
    records: tuple[Record, ...]
    person: tuple[int, ...]


def parse_decisions(text: str, records: Sequence[Record], name: str = "decisions") -> list[Decision]:
    """Read known decisions, CSV ``file_a,row_a,file_b,row_b,decision`` (``same`` or ``split``).

    Raises EngineInputError naming the line for an unknown record or decision. O(lines + records).
    """
    index = {(r.file, r.row): i for i, r in enumerate(records)}
    decisions: list[Decision] = []
    reader = csv.reader(io.StringIO(text))
    for line, row in enumerate(reader, start=1):
        if not row or (line == 1 and row[0].strip().lower() == "file_a"):
            continue
        if len(row) != 5:
            raise EngineInputError(f"{name}: line {line}: expected file_a,row_a,file_b,row_b,decision")
        fa, ra, fb, rb, verdict = (c.strip() for c in row)
        try:
            a, b = index[(fa, int(ra))], index[(fb, int(rb))]
        except (KeyError, ValueError) as exc:
            raise EngineInputError(f"{name}: line {line}: no record {fa} row {ra} or {fb} row {rb}") from exc
        if verdict not in ("same", "split"):
            raise EngineInputError(f"{name}: line {line}: decision {verdict!r} is neither 'same' nor 'split'")
        decisions.append(Decision(a, b, same=verdict == "same"))
    return decisions


def spark_session(master: str) -> Any:
    """A local or remote Spark session for :func:`link` (``pip install 'meute[spark]'`` and Java).

    ``master``: ``local[2]`` (two cores of this machine) or a cluster's URL (``spark://host:7077``).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineInputError(
            "--spark needs pyspark: install the optional group (uv sync --extra spark)"
        ) from exc
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        raise EngineInputError("--spark needs Java (Debian: apt-get install openjdk-17-jre-headless)")
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master(master)
        .appName("meute-link")
        .config("spark.jars", similarity_jar_location())  # Splink's string similarities (Jaro-Winkler…)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    # Splink breaks Spark's lineage with checkpoints, which need a folder
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="meute-spark-"))
    return session


def link_files(
    files: Sequence[tuple[str, bytes]],
    *,
    decisions_csv: str | None = None,
    threshold: float | None = None,
    seed: int = 0,
    spark: Any = None,
) -> LinkRun:
    """Read, normalise and link member lists given as ``(base name, bytes)``.

    Raises EngineInputError (file, row, column) for a file that cannot be read;
    cells that fail validation are reported and blanked, not fatal. Time is that
    of :func:`meute.engine.linkage.model.link`.
    """
    if threshold is not None and not 0.5 <= threshold <= 1:
        raise EngineInputError(f"--threshold {threshold}: a match probability between 0.5 and 1")
    names = [n for n, _ in files]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise EngineInputError(f"{twice[0]}: two input files have this base name; rename one")
    records: list[Record] = []
    problems: list[Problem] = []
    for name, data in files:
        recs, probs = records_from_table(read_table(data, name))
        records += recs
        problems += probs
    decisions = parse_decisions(decisions_csv, records) if decisions_csv else []
    result = link(
        records,
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        decisions=decisions,
        seed=seed,
        spark=spark,
    )
    people = io.StringIO(newline="")
    writer = csv_writer(people, lineterminator="\n")
    writer.writerow(["file", "row", "person"])
    for r, p in zip(records, result.person, strict=True):
        writer.writerow([r.file, r.row, f"p{p + 1}"])
    review = io.StringIO(newline="")
    writer = csv_writer(review, lineterminator="\n")
    comparisons = [name for name, _ in result.review[0].weights] if result.review else []
    writer.writerow(["file_a", "row_a", "file_b", "row_b", "match_probability", "match_weight", *comparisons])
    for pair in result.review:
        a, b = records[pair.left], records[pair.right]
        weights = dict(pair.weights)
        writer.writerow(
            [a.file, a.row, b.file, b.row, f"{pair.match_probability:.4f}", f"{pair.match_weight:.2f}"]
            + [f"{weights[c]:.2f}" if c in weights else "" for c in comparisons]
        )
    report = [
        f"records: {len(records)} from {len(files)} files",
        f"people: {result.n_people}",
        f"pairs scored: {result.n_pairs}, to review: {len(result.review)}",
    ]
    for problem in problems[:_SHOWN_PROBLEMS]:
        report.append(f"warning: {problem}")
    if len(problems) > _SHOWN_PROBLEMS:
        report.append(f"warning: … and {len(problems) - _SHOWN_PROBLEMS} more cells blanked")
    return LinkRun(people.getvalue(), review.getvalue(), tuple(report), tuple(records), result.person)
