"""Web benchmarks (``python -m benchmarks.web.latency``)."""
