"""Data files shipped with the redaction package (name lists)."""
