"""Quarters as people write them: « T4 2026 » in French, "Q4 2026" in English (stored as "2026-T4")."""

from __future__ import annotations

from django import template

from meute.barometer.services import quarter_label

register = template.Library()
register.filter("quarter", quarter_label)
