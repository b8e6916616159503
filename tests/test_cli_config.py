"""Config loading: a model_list-only file works; invalid configs give one clear line and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from proxy.settings import ConfigError, load_settings, parse_settings

MINIMAL = "model_list:\n  - model_name: m\n    litellm_params: {model: openai/m, api_key: os.environ/SPP_TEST_KEY}\n"


def spp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "proxy", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_model_list_only_gives_full_protection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPP_TEST_KEY", "sk-from-env")
    (tmp_path / "config.yaml").write_text(MINIMAL)
    s = load_settings(tmp_path / "config.yaml")
    assert s.models["m"].litellm_params.api_key == "sk-from-env"
    policy = s.policy_for("any-team")
    assert policy.redaction.enabled and policy.redaction.secrets and policy.redaction.pii
    assert policy.redaction.restore.secrets is False
    assert policy.templates.enabled and policy.codescan.enabled
    assert policy.codescan.actions["critical"] == "block"
    assert s.auth.allow_unauthenticated is False
    assert s.resolved_database_url.startswith("sqlite:///")


@pytest.mark.parametrize("text,needle", [
    ("model_list: []\n", "model_list"),
    ("{}", "model_list"),
    ("model_list:\n  - model_name: m\n", "model_list[0].litellm_params"),
    (MINIMAL + "redaction:\n  enabeld: true\n", "redaction.enabeld: unknown setting"),
    (MINIMAL + "server:\n  max_body_bytes: -1\n", "server.max_body_bytes"),
    (MINIMAL + "codescan:\n  actions: {critical: ignore}\n", "codescan.actions.critical"),
    ("model_list: [\n", "invalid YAML"),
])
def test_invalid_config_names_the_field(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as exc:
        load_settings(path)
    assert needle in str(exc.value)
    r = spp("serve", "--config", str(path), cwd=tmp_path)
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_missing_config_file(tmp_path: Path) -> None:
    r = spp("serve", "--config", str(tmp_path / "nope.yaml"), cwd=tmp_path)
    assert r.returncode == 2 and "cannot read config file" in r.stderr


def test_team_overrides_merge() -> None:
    s = parse_settings({"model_list": [{"model_name": "m", "litellm_params": {"model": "openai/m"}}],
                        "redaction": {"actions": {"US_SSN": "block"}},
                        "teams": {"pay": {"redaction": {"actions": {"CREDIT_CARD": "block"}}}}})
    assert s.policy_for("pay").redaction.actions == {"US_SSN": "block", "CREDIT_CARD": "block"}
    assert s.policy_for("web").redaction.actions == {"US_SSN": "block"}
