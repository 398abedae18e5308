"""Benchmarks (`make bench`, `make bench-imports`, `make bench-alerts`); not part of the suite."""
