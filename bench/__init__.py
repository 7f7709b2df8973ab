"""The benchmark harness: ``python -m bench [--quick]``. See BENCHMARKS.md."""
