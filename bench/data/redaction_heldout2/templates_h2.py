"""All second-held-out templates, in corpus order: (id, category, template)."""

from h2_benign import TEMPLATES as BENIGN
from h2_mixed import TEMPLATES as MIXED
from h2_pii import TEMPLATES as PII
from h2_secrets import TEMPLATES as SECRETS

TEMPLATES = [*SECRETS, *PII, *BENIGN, *MIXED]
