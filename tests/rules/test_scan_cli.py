"""`spp scan` body: files, folders, stdin, formats, exit codes, ignores."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from proxy.rules.scan_cli import run_scan

BAD_PY = 'import os\nos.system("rm -rf " + path)\n'
MEDIUM_PY = "import tempfile\npath = tempfile.mktemp()\n"
BAD_JS = 'el.innerHTML = "<b>" + name + "</b>";\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(BAD_PY)
    (tmp_path / "src" / "ui.js").write_text(BAD_JS)
    (tmp_path / "src" / "notes.txt").write_text(BAD_PY)  # unknown extension: skipped in folders
    for skipped in (".git", "node_modules", ".venv"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "x.py").write_text(BAD_PY)
    return tmp_path


def _scan(paths: list[str], fmt: str = "json", fail_on: str | None = None, lang: str | None = None,
          stdin: str = "") -> tuple[dict | str, int]:
    out, code = run_scan(paths, lang, fmt, fail_on, io.StringIO(stdin))
    return (json.loads(out) if fmt in ("json", "sarif") and code != 2 else out), code


def test_folder_scan_skips_vendor_dirs(tree: Path) -> None:
    doc, code = _scan([str(tree)])
    paths = {Path(f["path"]).relative_to(tree).as_posix() for f in doc["findings"]}
    assert paths == {"src/app.py", "src/ui.js"}
    assert doc["files_scanned"] == 2 and code == 0


def test_fail_on_threshold(tree: Path) -> None:
    assert _scan([str(tree)], fail_on="high")[1] == 1
    assert _scan([str(tree)], fail_on="critical")[1] == 0
    med = tree / "m.py"
    med.write_text(MEDIUM_PY)
    assert _scan([str(med)], fail_on="high")[1] == 0
    assert _scan([str(med)], fail_on="medium")[1] == 1
    assert _scan([str(med)], fail_on="LOW")[1] == 1


def test_stdin_with_language_and_detection() -> None:
    doc, _ = _scan(["-"], lang="py", stdin=BAD_PY)
    assert doc["findings"][0]["path"] == "-" and doc["findings"][0]["language"] == "python"
    doc, _ = _scan(["-"], stdin="import subprocess\n\ndef run(cmd):\n    os.system(cmd)\n")
    assert [f["rule_id"] for f in doc["findings"]] == ["python.command-injection.os-system"]


def test_stdin_markdown_answer_reports_answer_lines() -> None:
    answer = "Try this:\n\n```js\n" + BAD_JS + "```\n"
    doc, _ = _scan(["-"], stdin=answer)
    assert [(f["rule_id"], f["line"]) for f in doc["findings"]] == [("js.xss.inner-html", 4)]


def test_markdown_files_are_scanned_only_when_asked(tmp_path: Path) -> None:
    md = tmp_path / "README.md"
    md.write_text("```python\n" + BAD_PY + "```\n")
    assert _scan([str(md)])[0]["findings"] == []
    assert _scan([str(md)], lang="markdown")[0]["findings"]


def test_extensionless_script_is_detected(tmp_path: Path) -> None:
    script = tmp_path / "deploy"
    script.write_text("#!/usr/bin/env python3\nimport os\n\ndef main(arg):\n    os.system('x ' + arg)\n")
    assert _scan([str(script)])[0]["findings"]


def test_spp_ignore_comment(tmp_path: Path) -> None:
    f = tmp_path / "a.py"
    f.write_text('import os\nos.system("rm " + p)  # spp-ignore: reviewed\n')
    assert _scan([str(f)], fail_on="high") == (_scan([str(f)])[0], 0)
    assert _scan([str(f)])[0]["findings"] == []


def test_text_and_sarif_output(tree: Path) -> None:
    text, code = _scan([str(tree / "src" / "app.py")], fmt="text", fail_on="high")
    assert "python.command-injection.os-system" in text and code == 1
    sarif, _ = _scan([str(tree / "src")], fmt="sarif")
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "xml"}, "unknown format"),
        ({"fail_on": "severe"}, "unknown severity"),
        ({"lang": "klingon"}, "unknown language"),
    ],
)
def test_usage_errors_exit_2(tree: Path, kwargs: dict, message: str) -> None:
    out, code = _scan([str(tree)], **kwargs)
    assert code == 2 and message in out


def test_missing_path_exits_2(tmp_path: Path) -> None:
    out, code = _scan([str(tmp_path / "nope.py")])
    assert code == 2 and "no such file" in out
