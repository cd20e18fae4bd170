"""Benchmarks: `make bench`, `make bench-peer`; figures are ratios to a baseline run alongside."""
