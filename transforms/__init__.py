"""Pure polars transforms, one module per derived table (see docs/contracts.md)."""
