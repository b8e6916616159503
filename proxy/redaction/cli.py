"""`spp redact`: the proxy's redaction on a file or stdin, for trying policies and for pre-commit use."""

from __future__ import annotations

import json

from proxy.redaction.config import RedactionSettings
from proxy.redaction.redactor import SensitiveDataBlocked
from proxy.redaction.vault import Vault
from proxy.settings import Settings
from proxy.stages.redact import redactor_for


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def run_redact(text: str, settings: Settings | None, team: str, as_json: bool) -> tuple[str, int]:
    """Redacted text (or JSON findings without values) and the exit code: 0 clean, 1 found."""
    policy = settings.policy_for(team).redaction if settings else RedactionSettings()
    # Blocking is a proxy decision; the CLI shows what would be found, so treat every type as redact.
    policy = policy.model_copy(update={"actions": {}, "default_action": "redact", "enabled": True})
    redactor = redactor_for(policy)
    try:
        redacted, found = redactor.redact(text, Vault())
    except SensitiveDataBlocked:  # pragma: no cover - actions were reset above
        raise
    if as_json:
        items = []
        for d in found:
            line, col = _line_col(text, d.start)
            items.append({"type": d.entity_type, "family": d.family, "rule_id": d.rule_id,
                          "start": d.start, "end": d.end, "line": line, "column": col})
        return json.dumps({"findings": items, "count": len(items)}, indent=2) + "\n", 1 if found else 0
    return redacted, 1 if found else 0
