"""Putting the requirements block into the upstream request, exactly once.

The block is appended to the client's first system (or developer) message, or sent as a new first
system message. Appending keeps the client's own system prompt as an unchanged prefix, so provider
prompt caching still covers it. Any marker block already present in a system message (a re-sent
conversation, a chained proxy, or a client trying to forge or pre-empt the policy) is removed first, so
the upstream always sees one block and it is ours. User, assistant and tool messages are never edited:
user text reaches the upstream unchanged. The client never sees the block: it only exists in the
upstream request.
"""

from __future__ import annotations

import re
from typing import Any

from proxy.pipeline.request import LLMRequest
from proxy.templates.render import MARKER_TAG

_BLOCK = re.compile(rf"\s*<{MARKER_TAG}\b[^>]*>.*?</{MARKER_TAG}>\s*", re.DOTALL)
_STRAY = re.compile(rf"\s*</?{MARKER_TAG}\b[^>]*>\s*")
_LEADING = re.compile(rf"\A<{MARKER_TAG}\b[^>]*>.*?</{MARKER_TAG}>\n\n", re.DOTALL)
_SYSTEM_ROLES = ("system", "developer")


def strip_blocks(text: str) -> str:
    """Remove every marker block (and stray marker tags) from a text; the rest is kept as is."""
    if MARKER_TAG not in text:
        return text
    out = _BLOCK.sub("\n\n", text)
    out = _STRAY.sub("\n\n", out)
    return out.strip()


def without_leading_block(text: str) -> str:
    """A completion prompt without our own earlier prefix (so our words never pick topics)."""
    m = _LEADING.match(text)
    return text[m.end():] if m else text


def has_block(request: LLMRequest) -> bool:
    """True if a system message (or a completion prompt) already carries a marker block."""
    if request.endpoint == "completions":
        prompt = request.body.get("prompt")
        items = prompt if isinstance(prompt, list) else [prompt]
        return any(isinstance(p, str) and bool(_LEADING.match(p)) for p in items)
    return any(msg.get("role") in _SYSTEM_ROLES and MARKER_TAG in _text_of(msg) for msg in request.messages)


def _text_of(msg: dict[str, Any]) -> str:
    content = msg.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def _strip_message(msg: dict[str, Any]) -> bool:
    """Strip blocks from one system message in place; True if nothing of the message is left."""
    content = msg.get("content")
    if isinstance(content, str):
        msg["content"] = strip_blocks(content)
        return not msg["content"]
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str) and MARKER_TAG in part["text"]:
                part = {**part, "text": strip_blocks(part["text"])}
                if not part["text"]:
                    continue
            parts.append(part)
        msg["content"] = parts
        return not parts
    return False


def _inject_chat(request: LLMRequest, block: str) -> None:
    messages = request.body.get("messages")
    if not isinstance(messages, list):
        return
    keep: list[Any] = []
    for msg in messages:
        ours = isinstance(msg, dict) and msg.get("role") in _SYSTEM_ROLES and MARKER_TAG in _text_of(msg)
        if ours and _strip_message(msg):
            continue  # the message was only a block: drop it rather than send an empty system message
        keep.append(msg)
    messages[:] = keep
    if not block:
        return
    first = messages[0] if messages else None
    if isinstance(first, dict) and first.get("role") in _SYSTEM_ROLES:
        content = first.get("content")
        if isinstance(content, str):
            first["content"] = f"{content}\n\n{block}" if content.strip() else block
            return
        if isinstance(content, list):
            content.append({"type": "text", "text": block})
            return
    messages.insert(0, {"role": "system", "content": block})


def _inject_completion(request: LLMRequest, block: str) -> None:
    """Completions have no roles: the block becomes a prefix of each prompt (opt-in, breaks FIM)."""
    prompt = request.body.get("prompt")

    def fix(p: str) -> str:
        m = _LEADING.match(p)  # only our own prefix: the rest of a completion prompt is the user's code
        p = p[m.end():] if m else p
        return f"{block}\n\n{p}" if block else p

    if isinstance(prompt, str):
        request.body["prompt"] = fix(prompt)
    elif isinstance(prompt, list):
        request.body["prompt"] = [fix(p) if isinstance(p, str) else p for p in prompt]


def inject(request: LLMRequest, block: str) -> None:
    """Make `block` the one requirements block of the upstream request ("" removes stale ones). Idempotent."""
    if request.endpoint == "completions":
        _inject_completion(request, block)
    else:
        _inject_chat(request, block)
