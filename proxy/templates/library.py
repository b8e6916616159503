"""Loading the security-requirement packs: `*.md.j2` files with YAML front matter.

A library is an ordered list of folders; a pack in a later folder replaces one with the same id in
an earlier folder, which is how a team overrides a shipped pack. Packs are data written by admins,
but they are still compiled in Jinja's sandbox so a careless team pack cannot reach Python objects.
A pack that fails to load is left out (and reported by `problems`), so one bad team file never takes
the proxy down; the shipped pack of the same id then stays in force.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from proxy.templates.triggers import Triggers, TriggerSpec, compile_triggers

Kind = Literal["base", "topic", "language", "compliance"]
KINDS: tuple[Kind, ...] = ("base", "topic", "language", "compliance")
SUFFIX = ".md.j2"
# The only names a pack may use; anything else is a lint error (and StrictUndefined at render time).
TEMPLATE_VARIABLES = frozenset({"language", "team", "topics"})
_ID = r"^[a-z0-9][a-z0-9._-]{0,63}$"


class PackError(ValueError):
    """A pack file that cannot be used; the message names the file and the field, never user data."""


# -- front matter schema -------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sample(_Strict):
    prompt: str = Field(min_length=1)
    lang: str | None = None
    team: str = "sample-team"


class FrontMatter(_Strict):
    id: str = Field(pattern=_ID)
    version: str
    title: str = Field(min_length=1, max_length=80)
    kind: Kind
    topics: TriggerSpec = Field(default_factory=TriggerSpec)
    # language / compliance packs: "topics" = only with at least one selected topic (of requires_topics
    # when given) or, for compliance, when its own triggers score; "code" = whenever the turn is about code
    # (C's memory-safety lines need no topic).
    applies: Literal["topics", "code"] = "topics"
    requires_topics: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    priority: int = Field(default=50, ge=0, le=100)
    max_tokens: int = Field(gt=0, le=4000)
    samples: list[Sample] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) else v

    @model_validator(mode="after")
    def _kind_rules(self) -> FrontMatter:
        if self.kind == "topic" and self.topics.empty:
            raise ValueError("a topic pack needs at least one trigger under `topics`")
        if self.kind in ("base", "language") and not self.topics.empty:
            raise ValueError(f"only topic and compliance packs have triggers (this is a {self.kind} pack)")
        if self.kind == "language" and not self.languages:
            raise ValueError("a language pack must list `languages`")
        return self


# -- packs ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pack:
    """One loaded pack. `sha256` is over the file's bytes, so the usage record pins exactly what was sent."""

    meta: FrontMatter
    body: str
    source: str
    sha256: str
    path: Path
    template: jinja2.Template = field(compare=False, repr=False)
    # Topic packs; compliance packs may have their own (PCI-DSS applies to "card number" with no other topic).
    triggers: Triggers | None = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def kind(self) -> Kind:
        return self.meta.kind

    @property
    def priority(self) -> int:
        return self.meta.priority

    def record(self) -> dict[str, str]:
        """What the usage record keeps: enough to know which text was sent, nothing about the request."""
        return {"id": self.id, "version": self.version, "hash": self.sha256}


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one sandbox every pack is compiled in. Autoescape off: the output is Markdown for a model."""
    return SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(source: str) -> tuple[dict[str, Any], str]:
    m = _FRONT.match(source.lstrip("\ufeff"))
    if not m:
        raise PackError("missing YAML front matter between `---` lines at the top")
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark else ""
        raise PackError(f"front matter is not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise PackError("front matter must be a YAML mapping")
    return data, source.lstrip("\ufeff")[m.end():]


def parse_pack(path: Path) -> Pack:
    """Read, validate and compile one pack file. Raises PackError with a one-line reason."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PackError(f"cannot read: {exc.strerror}") from None
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PackError("not UTF-8") from None
    data, body = split_front_matter(source)
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "front matter"
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        raise PackError(f"{where}: {msg}") from None
    try:
        template = environment().from_string(body)
    except jinja2.TemplateSyntaxError as exc:
        raise PackError(f"template syntax error on body line {exc.lineno}: {exc.message}") from None
    triggers = None if meta.topics.empty else compile_triggers(meta.topics)
    return Pack(meta=meta, body=body, source=source, sha256=hashlib.sha256(raw).hexdigest(), path=path,
                template=template, triggers=triggers)


# -- libraries -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Library:
    """The effective packs of an ordered list of folders (later folders override earlier ones by id)."""

    dirs: tuple[Path, ...]
    packs: Mapping[str, Pack]
    problems: tuple[str, ...] = ()
    overridden: Mapping[str, tuple[Path, ...]] = field(default_factory=dict)  # id -> replaced files

    def get(self, pack_id: str) -> Pack | None:
        return self.packs.get(pack_id)

    def of_kind(self, kind: Kind) -> list[Pack]:
        return [p for p in self.packs.values() if p.kind == kind]


def pack_files(directory: Path) -> list[Path]:
    """Every pack file under a folder, in a stable order (sub-folders are only for humans)."""
    return sorted(p for p in directory.rglob(f"*{SUFFIX}") if p.is_file())


def default_library_dirs() -> list[Path]:
    """The shipped library: the copy installed in the package, else the repository's folder."""
    pkg = Path(__file__).resolve().parent.parent  # proxy/
    for candidate in (pkg / "_prompt_templates", pkg.parent / "prompt_templates"):
        if candidate.is_dir():
            return [candidate]
    return []


def library_dirs_for(extra: Sequence[str | Path] = ()) -> tuple[Path, ...]:
    """Shipped library first, then team folders (relative paths are taken from the working directory)."""
    return tuple(default_library_dirs()) + tuple(Path(d).expanduser().resolve() for d in extra)


def load_library(dirs: Sequence[str | Path] | None = None, *, fresh: bool = False) -> Library:
    """The effective packs of `dirs` (None: the shipped library only), loaded once per folder list.

    `fresh=True` reads the files again without touching the cache (lint wants what is on disk now).
    """
    resolved = tuple(default_library_dirs()) if dirs is None else tuple(Path(d).resolve() for d in dirs)
    return _build(resolved) if fresh else _load_cached(resolved)


def clear_cache() -> None:
    """Forget loaded libraries (after editing pack files in a long-running process or a test)."""
    _load_cached.cache_clear()


@lru_cache(maxsize=64)
def _load_cached(dirs: tuple[Path, ...]) -> Library:
    return _build(dirs)


def _build(dirs: tuple[Path, ...]) -> Library:
    packs: dict[str, Pack] = {}
    problems: list[str] = []
    overridden: dict[str, tuple[Path, ...]] = {}
    for directory in dirs:
        if not directory.is_dir():
            problems.append(f"{directory}: library folder not found")
            continue
        seen_here: dict[str, Path] = {}
        for path in pack_files(directory):
            try:
                pack = parse_pack(path)
            except PackError as exc:
                problems.append(f"{path}: {exc}")
                continue
            if pack.id in seen_here:
                problems.append(f"{path}: duplicate id {pack.id!r} (also in {seen_here[pack.id]}); ignored")
                continue
            seen_here[pack.id] = path
            if pack.id in packs:
                overridden[pack.id] = (*overridden.get(pack.id, ()), packs[pack.id].path)
            packs[pack.id] = pack
    return Library(dirs=dirs, packs=packs, problems=tuple(problems), overridden=overridden)
