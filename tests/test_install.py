"""README's set-up command and the Dockerfile's build steps, replayed in fresh venvs, so a missing
install step fails here and not on a user's machine (Docker itself cannot run on these machines)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import MASTER_KEY, config_dict
from tests.support.upstream import Reply, ScriptedUpstream, free_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _project_copy(dest: Path) -> Path:
    """The files a fresh clone would have (tracked plus new, not ignored)."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                           cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        src = ROOT / f
        if not src.exists() and not src.is_symlink():
            continue
        target = dest / f
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, target)
    return dest


def _wait_healthy(url: str, proc: subprocess.Popen[str], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise AssertionError(f"process exited: {proc.stdout.read() if proc.stdout else ''}")
        time.sleep(0.5)
    raise AssertionError("proxy did not become healthy")


def test_readme_names_exactly_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Set up \(two commands\).*?```bash\n(.*?)```", readme, re.S)
    assert block, "README must have a 'Set up (two commands)' bash block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.split("#")[0].strip()]
    assert commands == ["make serve", "make test"]
    ci = (ROOT / ".ci/run").read_text()
    assert "make test" in ci


def test_readme_setup_in_fresh_venv(tmp_path: Path, upstream: ScriptedUpstream) -> None:
    work = _project_copy(tmp_path / "clone")
    cfg = config_dict(upstream, tmp_path / "data")
    del cfg["auth"]  # README's path: the admin key comes from SPP_MASTER_KEY
    (work / "config.yaml").write_text(yaml.safe_dump(cfg))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV",)}
    env["SPP_MASTER_KEY"] = MASTER_KEY
    env["PYTHON"] = sys.executable if "venv" not in sys.executable else shutil.which("python3") or "python3"
    proc = subprocess.Popen(["make", "serve", f"PORT={port}", f"PYTHON={env['PYTHON']}"], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", proc)
        import openai

        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=MASTER_KEY, max_retries=0)
        upstream.push(Reply(content="fresh install works"), Reply(content="and streams"))
        r = client.chat.completions.create(model="test-model", messages=[{"role": "user", "content": "hi"}])
        assert r.choices[0].message.content == "fresh install works"
        s = client.chat.completions.create(model="test-model", stream=True,
                                           messages=[{"role": "user", "content": "hi"}])
        assert "".join(c.choices[0].delta.content or "" for c in s if c.choices) == "and streams"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.communicate(timeout=60)


def test_dockerfile_steps_in_a_venv(tmp_path: Path) -> None:
    """Replays the Dockerfile's #STEP RUN lines with /opt/spp mapped to a temp venv and a non-editable
    install, then checks the installed package carries its data (rules, templates, migrations)."""
    work = _project_copy(tmp_path / "ctx")
    venv = tmp_path / "opt-spp"
    steps = re.findall(r"^#STEP \w+\nRUN (.+)$", (ROOT / "Dockerfile").read_text(), re.M)
    assert len(steps) == 3
    for step in steps:
        cmd = step.replace("/opt/spp", str(venv)).replace("python -m venv", f"{sys.executable} -m venv")
        cmd = cmd.replace("rm -rf /app/build", "rm -rf build")
        subprocess.run(cmd, shell=True, cwd=work, check=True, timeout=900)  # noqa: S602 - our own Dockerfile
    spp = venv / "bin" / "spp"
    site = subprocess.run([str(venv / "bin/python"), "-c", "import proxy,os;print(os.path.dirname(proxy.__file__))"],
                          capture_output=True, text=True, check=True, cwd=tmp_path).stdout.strip()
    assert str(venv) in site, "the package must be installed into the venv, not used from the source tree"
    pkg = Path(site)
    assert list((pkg / "_prompt_templates").rglob("*.j2")), "templates missing from the installed package"
    assert list((pkg / "rules" / "packs").rglob("*.yaml")), "rule packs missing"
    assert list((pkg / "redaction" / "rules").rglob("*.yaml")), "secret rules missing"
    assert list((pkg / "store" / "migrations").rglob("*.py")), "migrations missing"
    bad = "import subprocess\nsubprocess.call('ls ' + user_input, shell=True)\n"
    r = subprocess.run([str(spp), "scan", "--lang", "python", "-"], input=bad, capture_output=True, text=True,
                       cwd=tmp_path, timeout=120)
    assert r.returncode in (0, 1) and "CWE-78" in r.stdout, r.stdout + r.stderr
    r = subprocess.run([str(spp), "templates", "list"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0 and "base" in r.stdout, r.stderr
