"""The linkage on Splink's Spark backend, in local mode: the same people as on DuckDB (issue 16)."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from meute.engine.linkage import synth
from meute.engine.linkage.command import link_files, spark_session

pytestmark = [
    pytest.mark.skipif(
        shutil.which("java") is None, reason="Spark needs Java (apt-get install openjdk-17-jre-headless)"
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed (uv sync --extra spark)"
    ),
]


def test_spark_links_the_lists_into_the_same_people_as_duckdb() -> None:
    lists = synth.generate(21, n_people=250, n_networks=5)
    files = [(f"{m.name}.csv", synth.to_csv_bytes(m)) for m in lists]
    embedded = link_files(files)
    spark = spark_session("local[2]")
    try:
        distributed = link_files(files, spark=spark)
    finally:
        spark.stop()
    assert distributed.people_csv == embedded.people_csv
    assert distributed.report == embedded.report
    assert distributed.review_csv == embedded.review_csv
