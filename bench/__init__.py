"""`make bench`: the portal under gunicorn against same-run baselines (issue 5).

Generates 2,500 centres and a million requests in a temporary folder, drives
gunicorn from a second process over loopback and writes `docs/benchmarks.md`.
"""
