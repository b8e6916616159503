"""Bandit anchor for bench/rules.py: run with .venv-bench/bin/python (Bandit is not in the product venv).

Reads `[{"id", "code"}]` as JSON on stdin, writes each snippet to its own .py file, runs Bandit's
manager on it in-process (default profile, every severity and confidence) and prints
`{"version", "results": [{"id", "issues": [...], "ms", "error"}]}` on stdout. `ms` is Bandit's own
work per file (discover + run tests), without interpreter start-up, which is reported once as
`startup_ms`. A snippet Bandit cannot parse gets `error` and no issues.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_T0 = time.perf_counter()
import bandit  # noqa: E402
from bandit.core import config as b_config  # noqa: E402
from bandit.core import manager as b_manager  # noqa: E402


def scan_file(conf: b_config.BanditConfig, path: Path) -> tuple[list[dict[str, Any]], float, str | None]:
    t = time.perf_counter()
    mgr = b_manager.BanditManager(conf, "file", quiet=True)
    mgr.discover_files([str(path)], recursive=False)
    mgr.run_tests()
    ms = (time.perf_counter() - t) * 1000
    issues = [
        {
            "test_id": i.test_id,
            "test_name": i.test,
            "severity": i.severity,
            "confidence": i.confidence,
            "cwe": i.cwe.id,
            "line": i.lineno,
        }
        for i in mgr.get_issue_list()
    ]
    error = "; ".join(reason for _, reason in mgr.skipped) or None
    return issues, ms, error


def main() -> None:
    logging.disable(logging.CRITICAL)  # Bandit logs parse failures; they are reported in `error`
    snippets = json.load(sys.stdin)
    conf = b_config.BanditConfig()
    startup_ms = (time.perf_counter() - _T0) * 1000
    results = []
    with tempfile.TemporaryDirectory(prefix="bandit-anchor-") as tmp:
        for n, s in enumerate(snippets):
            path = Path(tmp) / f"snippet_{n}.py"
            path.write_text(s["code"], encoding="utf-8")
            scan_file(conf, path)  # warm-up: Bandit imports its plugins lazily on the first file
            issues, ms, error = scan_file(conf, path)
            results.append({"id": s["id"], "issues": issues, "ms": ms, "error": error})
    json.dump({"version": bandit.__version__, "startup_ms": startup_ms, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
