"""Benchmarks; results and the decisions they support are in docs/BENCHMARKS.md."""
