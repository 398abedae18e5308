"""Run the benchmarks: `python -m bench [--rows N] [--db sqlite|postgresql|all]`."""

from bench.imports import main

main()
