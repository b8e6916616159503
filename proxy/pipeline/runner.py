"""Runs stages in order on requests and in reverse on response text, timing each one."""

from __future__ import annotations

import time
from collections.abc import Sequence

from proxy.pipeline.context import Context
from proxy.pipeline.request import LLMRequest
from proxy.pipeline.stage import Stage, TextStream


class Pipeline:
    """An ordered list of stages. Stateless: per-request state lives on the Context and TextStream."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = list(stages)
        self.response_stages = list(reversed(self.stages))
        base = Stage
        self._streaming = [s for s in self.response_stages
                           if type(s).on_chunk is not base.on_chunk or type(s).on_stream_end is not base.on_stream_end]
        self._holding = [s for s in self.response_stages if type(s).stream_hold is not base.stream_hold]

    def run_request(self, ctx: Context, request: LLMRequest) -> None:
        for stage in self.stages:
            t0 = time.perf_counter()
            try:
                stage.on_request(ctx, request)
            finally:
                ctx.add_stage_time(stage.name, time.perf_counter() - t0)

    def open_stream(self, ctx: Context, stream: TextStream) -> StreamProcessor:
        return StreamProcessor(self, ctx, stream)

    def transform_whole(self, ctx: Context, stream: TextStream, text: str) -> str:
        """A non-streamed text: one chunk, then the end of the stream."""
        proc = self.open_stream(ctx, stream)
        return proc.feed(text) + proc.finish()

    def finish_response(self, ctx: Context) -> None:
        for stage in self.response_stages:
            t0 = time.perf_counter()
            try:
                stage.on_response_end(ctx)
            finally:
                ctx.add_stage_time(stage.name, time.perf_counter() - t0)


class StreamProcessor:
    """Holds back only what the most demanding stage needs, then passes released text through the stages."""

    def __init__(self, pipeline: Pipeline, ctx: Context, stream: TextStream) -> None:
        self._p = pipeline
        self._ctx = ctx
        self._stream = stream
        self._pending = ""

    def feed(self, chunk: str) -> str:
        if not self._p._streaming:
            return chunk
        self._pending += chunk
        hold = 0
        for stage in self._p._holding:
            t0 = time.perf_counter()
            try:
                hold = max(hold, stage.stream_hold(self._ctx, self._stream, self._pending))
            finally:
                self._ctx.add_stage_time(stage.name, time.perf_counter() - t0)
        cut = len(self._pending) - min(hold, len(self._pending))
        if cut <= 0:
            return ""
        released, self._pending = self._pending[:cut], self._pending[cut:]
        return self._through(released, end=False)

    def finish(self) -> str:
        if not self._p._streaming:
            return ""
        released, self._pending = self._pending, ""
        return self._through(released, end=True)

    def _through(self, text: str, end: bool) -> str:
        for stage in self._p._streaming:
            t0 = time.perf_counter()
            try:
                if text:
                    text = stage.on_chunk(self._ctx, self._stream, text)
                if end:
                    text += stage.on_stream_end(self._ctx, self._stream)
            finally:
                self._ctx.add_stage_time(stage.name, time.perf_counter() - t0)
        return text
