"""A typed helper for the column schemas the detection modules declare."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl


def schema(columns: Mapping[str, Any]) -> pl.Schema:
    """``pl.Schema`` of ``{name: dtype}`` (dtype classes and instances mixed)."""
    return pl.Schema(columns)
