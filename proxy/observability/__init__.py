"""Prometheus metrics (own registry per app)."""
