"""Rotation events: who meets whom in each round, one-to-one or at tables of k.

One module per part of the problem, each importing only those before it:

- :mod:`~meute.engine.rotations.instance`: the formats ``meute.pairing-instance/1``
  and ``meute.schedule/1`` (parsing, validation, :class:`PairingInstance`);
- :mod:`~meute.engine.rotations.bounds`: upper bounds on total relevance and
  on the worst share;
- :mod:`~meute.engine.rotations.checker`: the rules of a schedule and its
  quality figures, for the room and for each person;
- :mod:`~meute.engine.rotations.one_to_one`: the one-to-one solver (with
  :mod:`~meute.engine.rotations.colouring` and
  :mod:`~meute.engine.rotations.exchanges`);
- :mod:`~meute.engine.rotations.tables`: the tables solver (with
  :mod:`~meute.engine.rotations.designs`, the repeat-free designs and limits,
  and :mod:`~meute.engine.rotations.tabu`, its search);
- :mod:`~meute.engine.rotations.schedule`: :func:`solve_schedule`, the right
  solver for an instance;
- :mod:`~meute.engine.rotations.replan`: rebuilding the remaining rounds
  during the event.

The names below are the package's public interface.
"""

from meute.engine.rotations.bounds import Bound, best_bound, fair_bound, lp_bound, top_bound
from meute.engine.rotations.checker import (
    is_valid_replan,
    is_valid_schedule,
    is_valid_tables,
    person_shares,
    person_utilities,
    rule_breaks,
    schedule_figures,
    worst_served,
)
from meute.engine.rotations.designs import RepeatFreeLimit, repeat_free_limit
from meute.engine.rotations.instance import (
    PairingInstance,
    Rounds,
    TablesInput,
    instance_to_json,
    parse_instance,
    parse_schedule,
    schedule_to_json,
)
from meute.engine.rotations.one_to_one import RotationResult, solve_rotations
from meute.engine.rotations.replan import ReplanResult, replan, replan_tables
from meute.engine.rotations.schedule import ScheduleResult, solve_schedule
from meute.engine.rotations.tables import TablesResult, solve_tables

__all__ = [
    "Bound",
    "PairingInstance",
    "RepeatFreeLimit",
    "ReplanResult",
    "RotationResult",
    "Rounds",
    "ScheduleResult",
    "TablesInput",
    "TablesResult",
    "best_bound",
    "fair_bound",
    "instance_to_json",
    "is_valid_replan",
    "is_valid_schedule",
    "is_valid_tables",
    "lp_bound",
    "parse_instance",
    "parse_schedule",
    "person_shares",
    "person_utilities",
    "repeat_free_limit",
    "replan",
    "replan_tables",
    "rule_breaks",
    "schedule_figures",
    "schedule_to_json",
    "solve_rotations",
    "solve_schedule",
    "solve_tables",
    "top_bound",
    "worst_served",
]
