"""Co-activity periods: an event's period is the start DATE of the calendar period holding it."""

from __future__ import annotations

import polars as pl


def period_of(t: pl.Expr, period: str) -> pl.Expr:
    """``period`` is a polars duration string: '1mo' (calendar month), '1w' (ISO week), '1d'."""
    return t.dt.truncate(period).cast(pl.Date)
