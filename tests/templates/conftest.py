"""Fixtures for the template tests: team library folders written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from proxy.templates.library import clear_cache


@pytest.fixture
def write_pack(tmp_path: Path) -> Callable[..., Path]:
    """Write a pack file into tmp_path/<folder> and return the folder."""

    def write(name: str, source: str, folder: str = "team") -> Path:
        d = tmp_path / folder
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{name}.md.j2").write_text(source, encoding="utf-8")
        clear_cache()
        return d

    return write
