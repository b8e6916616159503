"""All held-out prompt templates, in corpus order: secrets, PII/PHI, benign-only, mixed.

Each entry is (prompt id, category, template) in the marker language of bench/data/redaction/make_corpus.py.
The templates were written for this held-out set without reading the development templates
(bench/data/redaction/templates_*.py), the development corpus or the detector code, so the detectors were never
tuned on these prompt shapes.
"""

from __future__ import annotations

from heldout_benign import TEMPLATES as BENIGN
from heldout_mixed import TEMPLATES as MIXED
from heldout_pii import TEMPLATES as PII
from heldout_secrets import TEMPLATES as SECRETS

TEMPLATES: list[tuple[str, str, str]] = SECRETS + PII + BENIGN + MIXED
