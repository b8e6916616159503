"""A config holding only `model_list` gives full protection: redaction, templates and code scanning,
streamed and not, through the official openai SDK."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import RunningProxy
from tests.support.upstream import Reply, ScriptedUpstream

AWS_KEY = "AKIAQ3ZN5R7TZ4W2PKLM"
SAFE_ANSWER = ("Here is a safe query:\n\n```python\ndef get_user(cur, user_id):\n"
               "    cur.execute(\"SELECT * FROM users WHERE id = %s\", (user_id,))\n"
               "    return cur.fetchone()\n```\n\nParameters keep data and code apart.")
SQLI_ANSWER = ("Try this:\n\n```python\ndef get_user(cur, user_id):\n"
               "    cur.execute(\"SELECT * FROM users WHERE id = %s\" % user_id)\n"
               "    return cur.fetchone()\n```\n\nDone.")
RCE_ANSWER = ("Run it like this:\n\n```python\nimport subprocess\nfrom flask import request\n\n"
              "def run():\n    return subprocess.check_output(request.args['cmd'], shell=True)\n```\n\nThat's all.")


@pytest.fixture(scope="module")
def default_proxy(proxy_factory) -> RunningProxy:  # type: ignore[no-untyped-def]
    return proxy_factory()  # only model_list (+ the test's admin key and data dir)


def _chat(p: RunningProxy, content: str, stream: bool = False) -> str:
    client = p.openai()
    msgs = [{"role": "user", "content": content}]
    if not stream:
        return client.chat.completions.create(model="test-model", messages=msgs).choices[0].message.content or ""
    chunks = client.chat.completions.create(model="test-model", messages=msgs, stream=True)
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def test_request_is_redacted_and_templated(default_proxy: RunningProxy, upstream: ScriptedUpstream) -> None:
    _chat(default_proxy,
          f"Write a login endpoint in Flask. Our key is {AWS_KEY}, my email is jo.smith@northwind-mail.io")
    body = upstream.last().body
    sent = json.dumps(body)
    assert AWS_KEY not in sent and "jo.smith@northwind-mail.io" not in sent
    system = body["messages"][0]
    assert system["role"] == "system"
    assert "argon2" in system["content"].lower() or "bcrypt" in system["content"].lower()


@pytest.mark.parametrize("stream", [False, True])
def test_safe_answer_is_byte_for_byte_unchanged(default_proxy: RunningProxy, upstream: ScriptedUpstream,
                                                stream: bool) -> None:
    upstream.push(Reply(content=SAFE_ANSWER))
    assert _chat(default_proxy, "How do I fetch a user by id in python?", stream) == SAFE_ANSWER


@pytest.mark.parametrize("stream", [False, True])
def test_insecure_code_is_annotated(default_proxy: RunningProxy, upstream: ScriptedUpstream, stream: bool) -> None:
    upstream.push(Reply(content=SQLI_ANSWER))
    out = _chat(default_proxy, "fetch a user by id in python", stream)
    assert out.startswith(SQLI_ANSWER.split("\n\nDone.")[0])
    assert "Security review" in out and "CWE-89" in out
    assert out.rstrip().endswith("Done.")


@pytest.mark.parametrize("stream", [False, True])
def test_critical_code_is_blocked(default_proxy: RunningProxy, upstream: ScriptedUpstream, stream: bool) -> None:
    upstream.push(Reply(content=RCE_ANSWER))
    out = _chat(default_proxy, "run a shell command from a flask request", stream)
    assert "shell=True" not in out and "request.args['cmd']" not in out
    assert "CWE-78" in out
    assert out.startswith("Run it like this:") and out.rstrip().endswith("That's all.")


def test_prose_streams_before_the_fence_closes(default_proxy: RunningProxy, upstream: ScriptedUpstream) -> None:
    """Time to first token is not held hostage by code scanning: prose before a fence arrives at once."""
    prose = "Intro sentence that should arrive early. "
    answer = prose + "\n\n```python\n" + "x = 1\n" * 30 + "```\n"
    upstream.push(Reply(content=answer, chunk_delay_s=0.01))
    stream = default_proxy.openai().chat.completions.create(
        model="test-model", stream=True, messages=[{"role": "user", "content": "x"}])
    t0 = time.perf_counter()
    first_prose_at = None
    code_at = None
    text = ""
    for c in stream:
        if not c.choices:
            continue
        text += c.choices[0].delta.content or ""
        if first_prose_at is None and "Intro" in text:
            first_prose_at = time.perf_counter() - t0
        if code_at is None and "x = 1" in text:
            code_at = time.perf_counter() - t0
    assert text == answer
    assert first_prose_at is not None and code_at is not None
    assert first_prose_at < code_at - 0.2, (first_prose_at, code_at)


def test_secrets_are_not_restored_pii_is(default_proxy: RunningProxy, upstream: ScriptedUpstream) -> None:
    upstream.push(Reply(content="Hi <PERSON_1>, rotate <SECRET_AWS_ACCESS_KEY_1> now."))
    out = _chat(default_proxy, f"I'm Dr. Maria Garcia and I leaked {AWS_KEY} in git")
    assert "Maria Garcia" in out
    assert AWS_KEY not in out and "<SECRET_AWS_ACCESS_KEY_1>" in out


def test_keepalive_while_a_code_block_is_held(proxy_factory, upstream: ScriptedUpstream) -> None:  # type: ignore[no-untyped-def]
    """Chunks keep arriving but nothing can be released until the fence closes: comments keep the line alive."""
    p = proxy_factory(server={"keepalive_s": 0.2})
    answer = "```python\n" + "x = 1\n" * 40 + "```\n"
    upstream.push(Reply(content=answer, chunk_delay_s=0.02))
    with p.client() as c:
        r = c.post("/v1/chat/completions", json={"model": "test-model", "stream": True,
                                                 "messages": [{"role": "user", "content": "x"}]})
    assert ": keepalive" in r.text
    assert r.text.rstrip().endswith("data: [DONE]")


@pytest.mark.parametrize("stream", [False, True])
def test_typosquatted_package_is_flagged(default_proxy: RunningProxy, upstream: ScriptedUpstream,
                                         stream: bool) -> None:
    answer = "Install the client first:\n\n```bash\npip install reqeusts\n```\n"
    upstream.push(Reply(content=answer))
    out = _chat(default_proxy, "how do I call an HTTP API from python?", stream)
    assert out.startswith(answer.rstrip("\n"))
    assert "deps.typosquat" in out and "requests" in out.split("```", 2)[2]
