"""Whole-pipeline benchmark of minutes-extract (``make bench``; see benchmarks/run.py)."""
