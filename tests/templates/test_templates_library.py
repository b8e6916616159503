"""The shipped library: it loads, lints clean, and every pack renders with its own samples."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from proxy.templates.config import TemplateSettings
from proxy.templates.library import default_library_dirs, load_library, parse_pack
from proxy.templates.lint import lint_library
from proxy.templates.render import estimate_tokens, render_body
from proxy.templates.select import select_packs

LIB = load_library()
TOPICS = {"auth", "sessions", "sql", "xss", "file-upload", "shell", "deserialization", "crypto", "secrets",
          "http-client", "logging", "access-control", "iac"}
SAMPLES = [(p.id, i, s) for p in LIB.packs.values() for i, s in enumerate(p.meta.samples)]


def test_shipped_library_loads_without_problems() -> None:
    assert default_library_dirs(), "prompt_templates/ not found next to the package"
    assert LIB.problems == ()
    assert {p.id for p in LIB.of_kind("base")} == {"base"}
    assert {p.id for p in LIB.of_kind("topic")} == TOPICS
    languages = {"lang-python", "lang-java", "lang-javascript", "lang-go", "lang-c"}
    assert {p.id for p in LIB.of_kind("language")} >= languages
    assert {p.id for p in LIB.of_kind("compliance")} == {"hipaa", "pci-dss", "asvs-l2"}


def test_shipped_library_lints_clean() -> None:
    assert lint_library() == []


def test_shipped_library_lints_clean_against_a_config_naming_every_pack() -> None:
    settings = TemplateSettings(packs=sorted(TOPICS | {"lang-python"}),
                                compliance=["hipaa", "pci-dss", "asvs-l2"])
    assert lint_library(settings=settings) == []


@pytest.mark.parametrize(("pack_id", "index", "sample"), SAMPLES, ids=[f"{p}-{i}" for p, i, _ in SAMPLES])
def test_every_pack_renders_with_its_samples(pack_id: str, index: int, sample) -> None:  # type: ignore[no-untyped-def]
    pack = LIB.packs[pack_id]
    settings = TemplateSettings(compliance=[p.id for p in LIB.of_kind("compliance")], max_topic_packs=20)
    sel = select_packs(LIB, sample.prompt, settings, team=sample.team, lang=sample.lang)
    assert pack in sel.packs, f"sample {index} does not select {pack_id}: {sel.detection}"
    body = render_body(pack, sel.variables)
    assert body.strip()
    assert "{{" not in body and "{%" not in body
    assert estimate_tokens(f"{pack.meta.title}:\n{body}") <= pack.meta.max_tokens
    assert all(line.startswith("- ") for line in body.splitlines()), "packs are bullet lists"


def test_base_pack_is_at_most_five_lines() -> None:
    body = render_body(LIB.packs["base"], {"language": "", "team": "t", "topics": []})
    assert 1 <= len(body.splitlines()) <= 5


def test_hash_is_sha256_of_the_file_and_version_is_text() -> None:
    for pack in LIB.packs.values():
        assert pack.sha256 == hashlib.sha256(pack.path.read_bytes()).hexdigest()
        assert pack.record() == {"id": pack.id, "version": pack.version, "hash": pack.sha256}
        assert isinstance(pack.version, str) and pack.version


def test_language_packs_use_the_topics_variable_and_topic_packs_the_language() -> None:
    py = LIB.packs["lang-python"]
    assert render_body(py, {"language": "python", "team": "t", "topics": []}) == ""
    assert "safe_load" in render_body(py, {"language": "python", "team": "t", "topics": ["deserialization"]})
    crypto = LIB.packs["crypto"]
    assert "`secrets`" in render_body(crypto, {"language": "python", "team": "t", "topics": ["crypto"]})
    assert "SecureRandom" in render_body(crypto, {"language": "java", "team": "t", "topics": ["crypto"]})


def test_parse_pack_rejects_a_broken_file(tmp_path: Path) -> None:
    from proxy.templates.library import PackError

    bad = tmp_path / "bad.md.j2"
    bad.write_text("no front matter here\n", encoding="utf-8")
    with pytest.raises(PackError, match="front matter"):
        parse_pack(bad)
