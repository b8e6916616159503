"""A typed view over an OpenAI request that lets stages reach every piece of client text.

The wire body stays a dict so unknown-but-valid fields (tools, response_format, seed...) pass
through untouched; stages only see it through `text_slots()`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

SlotKind = Literal[
    "message", "tool_arguments", "tool_result", "tool_description", "prompt", "suffix", "system_note"
]


@dataclass
class TextSlot:
    """One piece of client-supplied text and a way to replace it in the body."""

    kind: SlotKind
    role: str
    get: Callable[[], str]
    set: Callable[[str], None]
    path: str  # e.g. "messages[2].content[1].text" — for findings, never the value

    @property
    def text(self) -> str:
        return self.get()


def _item_slot(container: Any, key: Any, kind: SlotKind, role: str, path: str) -> TextSlot:
    def get() -> str:
        return str(container[key])

    def put(value: str) -> None:
        container[key] = value

    return TextSlot(kind=kind, role=role, get=get, set=put, path=path)


@dataclass
class LLMRequest:
    """A validated client request: `body` is the OpenAI JSON as it will be forwarded."""

    endpoint: Literal["chat", "completions"]
    body: dict[str, Any]
    extra_system_notes: list[str] = field(default_factory=list)

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream", False))

    @property
    def messages(self) -> list[dict[str, Any]]:
        msgs = self.body.get("messages")
        return msgs if isinstance(msgs, list) else []

    def text_slots(self) -> Iterator[TextSlot]:
        """Every client-controlled string that reaches the upstream model."""
        if self.endpoint == "completions":
            prompt = self.body.get("prompt")
            if isinstance(prompt, str):
                yield _item_slot(self.body, "prompt", "prompt", "user", "prompt")
            elif isinstance(prompt, list):
                for i, p in enumerate(prompt):
                    if isinstance(p, str):
                        yield _item_slot(prompt, i, "prompt", "user", f"prompt[{i}]")
            if isinstance(self.body.get("suffix"), str):
                yield _item_slot(self.body, "suffix", "suffix", "user", "suffix")
            return
        for i, msg in enumerate(self.messages):
            role = str(msg.get("role", ""))
            content = msg.get("content")
            kind: SlotKind = "tool_result" if role in ("tool", "function") else "message"
            if isinstance(content, str):
                yield _item_slot(msg, "content", kind, role, f"messages[{i}].content")
            elif isinstance(content, list):
                for j, part in enumerate(content):
                    if isinstance(part, dict) and isinstance(part.get("text"), str):
                        yield _item_slot(part, "text", kind, role, f"messages[{i}].content[{j}].text")
            for k, call in enumerate(msg.get("tool_calls") or []):
                fn = call.get("function") if isinstance(call, dict) else None
                if isinstance(fn, dict) and isinstance(fn.get("arguments"), str):
                    yield _item_slot(fn, "arguments", "tool_arguments", role,
                                     f"messages[{i}].tool_calls[{k}].function.arguments")
            fc = msg.get("function_call")
            if isinstance(fc, dict) and isinstance(fc.get("arguments"), str):
                yield _item_slot(fc, "arguments", "tool_arguments", role, f"messages[{i}].function_call.arguments")
        for t, tool in enumerate(self.body.get("tools") or []):
            fn = tool.get("function") if isinstance(tool, dict) else None
            if isinstance(fn, dict):
                if isinstance(fn.get("description"), str):
                    yield _item_slot(fn, "description", "tool_description", "tool",
                                     f"tools[{t}].function.description")
                if isinstance(fn.get("parameters"), dict):
                    yield _json_slot(fn, "parameters", f"tools[{t}].function.parameters")

    def latest_user_text(self) -> str:
        """The text of the most recent user turn (or the completion prompt)."""
        if self.endpoint == "completions":
            prompt = self.body.get("prompt")
            return prompt if isinstance(prompt, str) else "\n".join(p for p in prompt or [] if isinstance(p, str))
        for msg in reversed(self.messages):
            if msg.get("role") == "user":
                return message_text(msg)
        return ""


def message_text(msg: dict[str, Any]) -> str:
    content = msg.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def _json_slot(container: dict[str, Any], key: str, path: str) -> TextSlot:
    """JSON-schema parameter descriptions can carry text too: expose them as one JSON string."""

    def get() -> str:
        return json.dumps(container[key], ensure_ascii=False)

    def put(value: str) -> None:
        container[key] = json.loads(value)

    return TextSlot(kind="tool_description", role="tool", get=get, set=put, path=path)
