"""Admin API and dashboard."""
