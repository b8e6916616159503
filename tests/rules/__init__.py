"""Tests for the code rule engine and its packs."""
