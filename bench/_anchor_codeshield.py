"""CodeShield anchor for bench/rules.py: run with .venv-codeshield/bin/python (codeshield 1.0.1, semgrep).

Reads `[{"id", "code", "language"}]` as JSON on stdin and calls `CodeShield.scan_code(code, language)`
for each snippet, as an LLM gateway would (regex rules, then semgrep in a subprocess when the
prescan regexes say so). Prints `{"version", "results": [{"id", "issues": [...], "ms", "error"}]}`.
`ms` is the wall time of one `scan_code` call after one warm-up call per language. Errors that
CodeShield logs and swallows (it then returns "secure") are reported in `error`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from importlib import metadata
from typing import Any

os.environ.setdefault("SEMGREP_SEND_METRICS", "off")
os.environ.setdefault("SEMGREP_ENABLE_VERSION_CHECK", "0")

from codeshield.cs import CodeShield  # noqa: E402
from codeshield.insecure_code_detector.languages import Language  # noqa: E402

LANGUAGE = {
    "python": Language.PYTHON, "javascript": Language.JAVASCRIPT, "java": Language.JAVA, "c": Language.C,
    "cpp": Language.CPP, "csharp": Language.CSHARP, "php": Language.PHP, "ruby": Language.RUBY,
    "rust": Language.RUST,
}  # Kotlin is in CodeShield's Language enum, but 1.0.1 ships no kotlin regex file: every scan fails.


class _Errors(logging.Handler):
    """CodeShield logs and swallows analyser failures (semgrep crashes included): keep them visible."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage()[:200])


_ERRORS = _Errors()


async def scan(code: str, language: str) -> tuple[list[dict[str, Any]], float]:
    _ERRORS.messages.clear()
    t = time.perf_counter()
    result = await CodeShield.scan_code(code, LANGUAGE[language])
    ms = (time.perf_counter() - t) * 1000
    if _ERRORS.messages:
        raise RuntimeError("; ".join(_ERRORS.messages))
    issues = [
        {"pattern_id": i.pattern_id, "cwe": i.cwe_id, "severity": str(i.severity), "line": i.line}
        for i in (result.issues_found or [])
    ]
    return issues, ms


async def run(snippets: list[dict[str, str]]) -> list[dict[str, Any]]:
    warmed: set[str] = set()
    results = []
    for s in snippets:
        lang = s["language"]
        if lang not in LANGUAGE:
            results.append({"id": s["id"], "issues": [], "ms": None, "error": f"unsupported language {lang}"})
            continue
        try:
            if lang not in warmed:  # first call per language loads and compiles that language's rules
                warmed.add(lang)
                await scan(s["code"], lang)
            issues, ms = await scan(s["code"], lang)
            results.append({"id": s["id"], "issues": issues, "ms": ms, "error": None})
        except Exception as exc:  # noqa: BLE001 - one bad snippet must not lose the whole run
            results.append({"id": s["id"], "issues": [], "ms": None, "error": repr(exc)[:200]})
    return results


def main() -> None:
    root = logging.getLogger()
    root.handlers[:] = [_ERRORS]  # nothing on stderr/stdout; stdout carries the JSON
    root.setLevel(logging.ERROR)
    snippets = json.load(sys.stdin)
    results = asyncio.run(run(snippets))
    json.dump({"version": metadata.version("codeshield"), "semgrep": metadata.version("semgrep"),
               "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
