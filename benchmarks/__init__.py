"""Benchmarks: `make bench` and `make bench-peer` (figures are ratios against a baseline run alongside)."""
