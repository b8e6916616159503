"""config.yaml schema. Every field has a secure default, so a file holding only `model_list` is enough.

Follows LiteLLM's conventions (`model_list`, `litellm_params`, `os.environ/NAME`) so users feel at home.
Unknown keys are errors: a typo in a security setting must not silently fall back to a default.
"""

from __future__ import annotations

import logging
import os
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from proxy.redaction.config import RedactionSettings
from proxy.rules.config import CodeScanSettings
from proxy.templates.config import TemplateSettings

ENV_PREFIX = "os.environ/"
log = logging.getLogger("spp.config")


class ConfigError(Exception):
    """A config problem explained in one line that names the field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LiteLLMParams(BaseModel):
    """Passed to litellm as-is (extra keys allowed, as in LiteLLM), after env interpolation."""

    model_config = ConfigDict(extra="allow")
    model: str
    api_base: str | None = None
    api_key: str | None = None
    timeout: float | None = None
    max_retries: int | None = None


class ModelEntry(Strict):
    model_name: str
    litellm_params: LiteLLMParams
    model_info: dict[str, Any] = Field(default_factory=dict)


class ServerSettings(Strict):
    max_body_bytes: int = Field(default=4 * 1024 * 1024, gt=0)
    upstream_timeout_s: float = Field(default=120.0, gt=0)
    upstream_retries: int = Field(default=1, ge=0, le=10)
    # "auto": OpenAI-compatible upstreams with an api_base use the thin passthrough, others litellm.
    upstream_mode: Literal["auto", "litellm", "passthrough"] = "auto"
    keepalive_s: float = Field(default=10.0, gt=0)  # SSE comment while a block is held back
    access_log: bool = False  # the usage log is the audit trail; per-request access lines cost latency


class AuthSettings(Strict):
    # Admin key; defaults to $SPP_MASTER_KEY. Without any key configured, every request is refused.
    master_key: str | None = None
    allow_unauthenticated: bool = False  # only for local experiments; logs a loud warning


class UsageSettings(Strict):
    store_prompts: Literal["off", "redacted"] = "off"
    retention_days: int = Field(default=90, ge=1)
    queue_size: int = Field(default=10000, gt=0)
    batch_size: int = Field(default=200, gt=0)
    flush_interval_s: float = Field(default=0.5, gt=0)


class TeamSettings(Strict):
    """Per-team overrides: any subset of the sections below, merged over the global values."""

    redaction: dict[str, Any] = Field(default_factory=dict)
    templates: dict[str, Any] = Field(default_factory=dict)
    codescan: dict[str, Any] = Field(default_factory=dict)


class TeamPolicy(BaseModel):
    """The effective settings for one team (global values with the team's overrides applied)."""

    model_config = ConfigDict(frozen=True)
    team: str
    redaction: RedactionSettings
    templates: TemplateSettings
    codescan: CodeScanSettings


class Settings(Strict):
    model_list: list[ModelEntry] = Field(min_length=1)
    server: ServerSettings = Field(default_factory=ServerSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    database_url: str | None = None  # default: sqlite in data_dir
    data_dir: str | None = None  # default: $SPP_DATA_DIR or ./.spp
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    redaction: RedactionSettings = Field(default_factory=RedactionSettings)
    templates: TemplateSettings = Field(default_factory=TemplateSettings)
    codescan: CodeScanSettings = Field(default_factory=CodeScanSettings)
    usage: UsageSettings = Field(default_factory=UsageSettings)
    teams: dict[str, TeamSettings] = Field(default_factory=dict)

    @field_validator("model_list")
    @classmethod
    def _unique_names(cls, v: list[ModelEntry]) -> list[ModelEntry]:
        seen: set[str] = set()
        for m in v:
            if m.model_name in seen:
                raise ValueError(f"duplicate model_name {m.model_name!r}")
            seen.add(m.model_name)
        return v

    # -- derived values -------------------------------------------------------------------------
    @cached_property
    def models(self) -> dict[str, ModelEntry]:
        return {m.model_name: m for m in self.model_list}

    @property
    def resolved_data_dir(self) -> Path:
        return Path(self.data_dir or os.environ.get("SPP_DATA_DIR") or ".spp")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir / 'usage.db'}"

    @property
    def resolved_master_key(self) -> str | None:
        return self.auth.master_key or os.environ.get("SPP_MASTER_KEY") or None

    def policy_for(self, team: str) -> TeamPolicy:
        """Global sections with the team's overrides merged in (dicts deep-merged, lists replaced)."""
        cache: dict[str, TeamPolicy] = self.__dict__.setdefault("_policy_cache", {})
        if team not in cache:
            over = self.teams.get(team, TeamSettings())
            cache[team] = TeamPolicy(
                team=team,
                redaction=_merged(self.redaction, over.redaction),
                templates=_merged(self.templates, over.templates),
                codescan=_merged(self.codescan, over.codescan),
            )
        return cache[team]


def _merged(base: BaseModel, override: dict[str, Any]) -> Any:
    if not override:
        return base
    data = _deep_merge(base.model_dump(), override)
    return type(base).model_validate(data)


def _deep_merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def interpolate_env(value: Any, path: str = "") -> Any:
    """Replace `os.environ/NAME` strings with the variable's value, recursively."""
    if isinstance(value, dict):
        return {k: interpolate_env(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate_env(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str) and value.startswith(ENV_PREFIX):
        name = value[len(ENV_PREFIX):]
        if name not in os.environ:
            # Like LiteLLM: a missing variable is not a broken config (the proxy can start and serve
            # other models), but say so, naming the setting and never the value.
            log.warning("%s: environment variable %s is not set", path, name)
            return None
        return os.environ[name]
    return value


def _field_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_settings(raw: Any, source: str = "config") -> Settings:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level")
    data = interpolate_env(raw)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown setting"
        raise ConfigError(f"{source}: {_field_name(tuple(err['loc']))}: {msg}{more}") from None


def load_settings(path: str | os.PathLike[str]) -> Settings:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config file {p}: {exc.strerror}") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{p}:{where} invalid YAML") from None
    return parse_settings(raw, str(p))


def default_config_path() -> str:
    return os.environ.get("SPP_CONFIG", "config.yaml")
