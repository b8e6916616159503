"""`spp redact`: redacted text or value-free findings, exit code 0 (clean) / 1 (found)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TOKEN = "ghp_" + "Zq81bWc4Lm0Tx7Rk2Vn5Pd9Hs3Jf6Ga1Ye4U"
TEXT = f'export GITHUB_TOKEN="{TOKEN}"\n# owner: Maria Garcia <maria.garcia@northwind-mail.io>\n'


def spp(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "proxy", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_redacts_stdin(tmp_path: Path) -> None:
    r = spp("redact", "-", stdin=TEXT, cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert TOKEN not in r.stdout and "maria.garcia@northwind-mail.io" not in r.stdout
    assert "<SECRET_GITHUB_" in r.stdout and "<EMAIL_ADDRESS_1>" in r.stdout


def test_json_findings_carry_no_values(tmp_path: Path) -> None:
    f = tmp_path / "settings.sh"
    f.write_text(TEXT)
    r = spp("redact", str(f), "--json", cwd=tmp_path)
    assert r.returncode == 1
    data = json.loads(r.stdout)
    types = {item["type"] for item in data["findings"]}
    assert "EMAIL_ADDRESS" in types and any(t.startswith("SECRET_GITHUB") for t in types)
    assert all({"type", "rule_id", "start", "end", "line"} <= set(item) for item in data["findings"])
    assert TOKEN not in r.stdout and "maria.garcia" not in r.stdout and "Maria" not in r.stdout


def test_clean_input_exits_zero(tmp_path: Path) -> None:
    clean = "def add(a, b):\n    return a + b  # sha 3f786850e387550fdab836ed7e6dc881de23001b\n"
    r = spp("redact", "-", stdin=clean, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == clean
