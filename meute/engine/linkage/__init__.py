"""Record linkage of member lists: who, across the networks' spreadsheets, is one person.

``read`` turns bytes into a table, ``columns`` maps and normalises its columns,
``model`` links the records with Splink (Fellegi–Sunter on DuckDB), ``synth``
generates member lists with a known truth. See docs/algorithms/linkage.md.
Splink and DuckDB are imported only when a linkage runs.
"""

from meute.engine.linkage.columns import Problem, Record, guess_mapping, records_from_table
from meute.engine.linkage.read import Table, read_table

__all__ = ["Problem", "Record", "Table", "guess_mapping", "read_table", "records_from_table"]
