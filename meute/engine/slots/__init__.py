"""Booked meetings: place requested one-to-one meetings into time slots and tables.

- :mod:`~meute.engine.slots.instance`: the formats ``meute.slots-instance/1`` and
  ``meute.slot-plan/1`` (parsing, validation, the dataclasses);
- :mod:`~meute.engine.slots.checker`: the rules of a plan and its figures (idle
  gaps, LP bound);
- :mod:`~meute.engine.slots.solver`: :func:`plan_meetings`.

See docs/algorithms/slots.md. The names below are the package's public interface.
"""

from meute.engine.slots.checker import idle_gaps, is_valid_plan, lp_bound, plan_figures
from meute.engine.slots.instance import (
    FORMAT_IN,
    FORMAT_OUT,
    Meeting,
    Placement,
    SlotPlan,
    SlotsInstance,
    parse_instance,
    plan_from_json,
    plan_to_json,
)
from meute.engine.slots.solver import plan_meetings

__all__ = [
    "FORMAT_IN",
    "FORMAT_OUT",
    "Meeting",
    "Placement",
    "SlotPlan",
    "SlotsInstance",
    "idle_gaps",
    "is_valid_plan",
    "lp_bound",
    "parse_instance",
    "plan_figures",
    "plan_from_json",
    "plan_meetings",
    "plan_to_json",
]
