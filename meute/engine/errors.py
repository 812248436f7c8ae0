"""The two ways an engine call can refuse its input."""

from __future__ import annotations

__all__ = ["EngineInputError", "InfeasibleError"]


class EngineInputError(ValueError):
    """The input is malformed: the message names the field or id at fault, in one line."""


class InfeasibleError(Exception):
    """The input is well-formed but asks for something impossible; the message explains why."""
