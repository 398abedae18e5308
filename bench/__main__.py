"""Run the page benchmark (`make bench`): `python -m bench [--db …] [--scale …] [--reuse]`."""

from bench.pages import main

main()
