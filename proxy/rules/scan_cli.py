"""`spp scan`: run the code rules over files, folders or stdin (also a pre-commit hook).

Kept free of typer so the command body is a plain, testable function; the CLI module only maps
options onto `run_scan`. Developers can silence a reviewed line with a `spp-ignore` comment on it;
that escape hatch exists only here, never in the proxy, where the model writes the comments.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from proxy.pipeline.context import CodeFinding
from proxy.rules.engine import RuleEngine
from proxy.rules.extract import extract_blocks
from proxy.rules.langdetect import detect_language
from proxy.rules.languages import language_for_filename, normalize_language
from proxy.rules.loader import SEVERITIES, SEVERITY_RANK, RuleLoadError
from proxy.rules.report import FileResult, render

SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache",
                       ".ruff_cache", ".pytest_cache", ".hg", ".svn", ".idea", ".spp"})
MAX_FILE_BYTES = 2 * 1024 * 1024
FORMATS = ("text", "json", "sarif")
MARKDOWN = ("markdown", "md")
IGNORE_MARK = "spp-ignore"


def run_scan(paths: list[str], lang: str | None, fmt: str, fail_on: str | None,
             stdin: TextIO) -> tuple[str, int]:
    """Scan `paths` ("-" = stdin). Returns (report, exit code): 1 if a finding is at/above `fail_on`,
    2 for usage errors (bad option, missing path, invalid rules), else 0."""
    if fmt not in FORMATS:
        return f"error: unknown format {fmt!r}; use one of {', '.join(FORMATS)}\n", 2
    if fail_on is not None and fail_on.lower() not in SEVERITIES:
        return f"error: unknown severity {fail_on!r}; use one of {', '.join(SEVERITIES)}\n", 2
    forced: str | None = None
    if lang:
        forced = "markdown" if lang.lower() in MARKDOWN else normalize_language(lang)
        if forced is None:
            return f"error: unknown language {lang!r}\n", 2
    try:
        engine = RuleEngine.default()
    except RuleLoadError as exc:
        return f"error: {exc}\n", 2
    results: list[FileResult] = []
    for raw in paths or ["-"]:
        if raw == "-":
            results.append(_scan_text(engine, "-", stdin.read(), forced, explicit=True))
            continue
        p = Path(raw)
        if not p.exists():
            return f"error: no such file or directory: {raw}\n", 2
        files = _walk(p) if p.is_dir() else iter([p])
        for f in files:
            text = _read(f)
            if text is None:
                continue
            result = _scan_text(engine, str(f), text, forced, explicit=not p.is_dir())
            if result.language is not None:
                results.append(result)
    out = render(results, fmt, engine.by_id)
    threshold = SEVERITY_RANK[fail_on.lower()] if fail_on else None
    failed = threshold is not None and any(SEVERITY_RANK[f.severity] >= threshold
                                           for r in results for f in r.findings)
    return out, 1 if failed else 0


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if language_for_filename(name) is not None:
                yield Path(dirpath) / name


def _read(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _scan_text(engine: RuleEngine, path: str, text: str, forced: str | None, explicit: bool) -> FileResult:
    """Scan one input. Markdown (`--lang markdown`, or stdin holding fences) is scanned block by block;
    .md files are otherwise skipped, since docs legitimately show insecure examples."""
    is_markdown = forced == "markdown"
    if forced is None and path == "-" and ("```" in text or "~~~" in text):
        is_markdown = bool(extract_blocks(text))  # an LLM answer pasted on stdin
    if is_markdown:
        findings: list[CodeFinding] = []
        for block in extract_blocks(text):
            blang = block.language or (detect_language(block.code) if block.needs_detection else None)
            if blang is None:
                continue
            for f in engine.scan(block.code, blang, packages=True):
                findings.append(_shift(f, block.first_line - 1))
        return FileResult(path, "markdown", _drop_ignored(findings, text))
    language = forced or language_for_filename(path)
    if language is None and explicit and (path == "-" or "." not in Path(path).name):
        language = detect_language(text)  # stdin, or an extension-less script such as bin/deploy
    if language is None:
        return FileResult(path, None, [])
    return FileResult(path, language, _drop_ignored(engine.scan(text, language, packages=True), text))


def _shift(f: CodeFinding, offset: int) -> CodeFinding:
    return CodeFinding(rule_id=f.rule_id, cwe=f.cwe, owasp=f.owasp, severity=f.severity, message=f.message,
                       fix=f.fix, line=f.line + offset, language=f.language, action=f.action)


def _drop_ignored(findings: list[CodeFinding], text: str) -> list[CodeFinding]:
    if IGNORE_MARK not in text:
        return findings
    lines = text.splitlines()
    return [f for f in findings if not (0 < f.line <= len(lines) and IGNORE_MARK in lines[f.line - 1])]
