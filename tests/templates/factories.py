"""Test factories (in the spirit of mitmproxy's tflow): one-liners for packs and requests."""

from __future__ import annotations

import textwrap
from typing import Any

from proxy.pipeline.context import Context, Principal
from proxy.pipeline.request import LLMRequest


def pack_source(pid: str, kind: str = "topic", body: str = "- Do the secure thing.", *, title: str = "T",
                priority: int = 50, max_tokens: int = 120, extra: str = "",
                samples: str = '  - prompt: "write a payroll export endpoint"') -> str:
    """A valid pack file; topic packs trigger on the word "payroll" unless `extra` sets topics."""
    triggers = "topics:\n  keywords: [payroll]\n" if kind == "topic" and "topics:" not in extra else ""
    head = textwrap.dedent(f"""\
        ---
        id: {pid}
        version: 3
        title: {title}
        kind: {kind}
        priority: {priority}
        max_tokens: {max_tokens}
        """)
    return head + triggers + extra + "samples:\n" + samples + "\n---\n" + body + "\n"


def chat(*messages: tuple[str, Any], **body: Any) -> LLMRequest:
    """chat(("system", "You are..."), ("user", "write a login endpoint"))"""
    return LLMRequest(endpoint="chat", body={"model": "gpt-4o", "messages": [
        {"role": role, "content": content} for role, content in messages], **body})


def completion(prompt: Any) -> LLMRequest:
    return LLMRequest(endpoint="completions", body={"model": "gpt-4o", "prompt": prompt})


def context(policy: Any = None, endpoint: str = "chat", team: str = "payments") -> Context:
    ctx = Context(principal=Principal("alice", team, "k1"), endpoint=endpoint)
    if policy is not None:
        ctx.state["policy"] = policy
    return ctx
