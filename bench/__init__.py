"""Benchmarks (issue 7): run as modules, e.g. ``.venv/bin/python -m bench.documents``; see bench/README.md."""
