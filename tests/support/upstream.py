"""A scripted OpenAI-compatible upstream: a real HTTP server on a free port that records every request
and answers from a script, streaming in tiny random chunks."""

from __future__ import annotations

import asyncio
import json
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Reply:
    """What the upstream answers next. Defaults give a plain successful answer."""

    content: str = "Hello from the scripted upstream."
    tool_calls: list[dict[str, Any]] | None = None
    status: int = 200
    error_message: str = "scripted failure"
    delay_s: float = 0.0  # before answering (timeouts)
    chunk_delay_s: float = 0.0
    disconnect_after: int | None = None  # stream: drop the connection after N chunks
    malformed_after: int | None = None  # stream: send a broken event after N chunks
    n: int = 1
    usage: bool = True


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class ScriptedUpstream:
    port: int = field(default_factory=free_port)
    requests: list[Recorded] = field(default_factory=list)
    script: list[Reply] = field(default_factory=list)
    default: Reply = field(default_factory=Reply)
    seed: int = 1234

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def reset(self) -> None:
        self.requests.clear()
        self.script.clear()
        self.default = Reply()

    def push(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def last(self) -> Recorded:
        return self.requests[-1]

    def _next(self) -> Reply:
        return self.script.pop(0) if self.script else self.default

    # -- server ----------------------------------------------------------------------------------
    async def _handle(self, request: Request) -> Response:
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        self.requests.append(Recorded(request.url.path, dict(request.headers), body))
        reply = self._next()
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.status != 200:
            return JSONResponse({"error": {"message": reply.error_message, "type": "server_error"}},
                                status_code=reply.status)
        chat = request.url.path.endswith("/chat/completions")
        if body.get("stream"):
            return StreamingResponse(self._stream(body, reply, chat), media_type="text/event-stream")
        return JSONResponse(self._whole(body, reply, chat))

    def _usage(self, body: dict[str, Any], reply: Reply) -> dict[str, int]:
        prompt = len(json.dumps(body.get("messages") or body.get("prompt") or "")) // 4
        completion = max(1, len(reply.content) // 4)
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _whole(self, body: dict[str, Any], reply: Reply, chat: bool) -> dict[str, Any]:
        choices = []
        for i in range(reply.n):
            if chat:
                msg: dict[str, Any] = {"role": "assistant", "content": reply.content}
                if reply.tool_calls:
                    msg["tool_calls"] = reply.tool_calls
                    msg["content"] = reply.content or None
                choices.append({"index": i, "message": msg,
                                "finish_reason": "tool_calls" if reply.tool_calls else "stop"})
            else:
                choices.append({"index": i, "text": reply.content, "finish_reason": "stop"})
        out = {"id": "cmpl-scripted", "object": "chat.completion" if chat else "text_completion",
               "created": int(time.time()), "model": body.get("model", "?"), "choices": choices}
        if reply.usage:
            out["usage"] = self._usage(body, reply)
        return out

    async def _stream(self, body: dict[str, Any], reply: Reply, chat: bool):  # type: ignore[no-untyped-def]
        rng = random.Random(self.seed + len(self.requests))
        base = {"id": "cmpl-scripted", "object": "chat.completion.chunk" if chat else "text_completion",
                "created": int(time.time()), "model": body.get("model", "?")}
        pieces: list[str] = []
        text = reply.content
        while text:
            k = rng.randint(1, 4)
            pieces.append(text[:k])
            text = text[k:]
        sent = 0

        def ev(obj: dict[str, Any]) -> bytes:
            return b"data: " + json.dumps(obj).encode() + b"\n\n"

        for i in range(reply.n):
            if chat:
                yield ev({**base, "choices": [{"index": i, "delta": {"role": "assistant", "content": ""},
                                               "finish_reason": None}]})
        for piece in pieces:
            for i in range(reply.n):
                if reply.disconnect_after is not None and sent >= reply.disconnect_after:
                    raise ConnectionResetError("scripted disconnect")
                if reply.malformed_after is not None and sent >= reply.malformed_after:
                    yield b"data: {this is not json\n\n"
                    return
                choice = ({"index": i, "delta": {"content": piece}, "finish_reason": None} if chat
                          else {"index": i, "text": piece, "finish_reason": None})
                yield ev({**base, "choices": [choice]})
                sent += 1
                if reply.chunk_delay_s:
                    await asyncio.sleep(reply.chunk_delay_s)
        if chat and reply.tool_calls:
            for k, call in enumerate(reply.tool_calls):
                args = call["function"]["arguments"]
                yield ev({**base, "choices": [{"index": 0, "delta": {"tool_calls": [
                    {"index": k, "id": call.get("id", f"call_{k}"), "type": "function",
                     "function": {"name": call["function"]["name"], "arguments": ""}}]}, "finish_reason": None}]})
                for j in range(0, len(args), 3):
                    yield ev({**base, "choices": [{"index": 0, "delta": {"tool_calls": [
                        {"index": k, "function": {"arguments": args[j:j + 3]}}]}, "finish_reason": None}]})
        for i in range(reply.n):
            fin = "tool_calls" if reply.tool_calls else "stop"
            choice = ({"index": i, "delta": {}, "finish_reason": fin} if chat
                      else {"index": i, "text": "", "finish_reason": fin})
            yield ev({**base, "choices": [choice]})
        if reply.usage and (body.get("stream_options") or {}).get("include_usage"):
            yield ev({**base, "choices": [], "usage": self._usage(body, reply)})
        yield b"data: [DONE]\n\n"

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self._handle, methods=["POST"]),
                                 Route("/v1/completions", self._handle, methods=["POST"])])


class ServerThread:
    """Runs an ASGI app under uvicorn in a background thread on 127.0.0.1:port."""

    def __init__(self, app: Any, port: int) -> None:
        self.port = port
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                                timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self, timeout: float = 60.0) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("server thread died during startup")
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start in time")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
