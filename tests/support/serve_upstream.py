"""Run the scripted upstream as its own process (for benchmarks): python -m tests.support.serve_upstream PORT"""

from __future__ import annotations

import sys

import uvicorn

from tests.support.upstream import Reply, ScriptedUpstream


def main() -> None:
    port = int(sys.argv[1])
    content = sys.argv[2] if len(sys.argv) > 2 else "Here is the answer you asked for, in a few words."
    up = ScriptedUpstream(port=port)
    up.default = Reply(content=content)
    up.requests = _Discard()  # type: ignore[assignment]  # a benchmark must not grow memory per request
    uvicorn.run(up.app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


class _Discard(list):  # type: ignore[type-arg]
    def append(self, item: object) -> None:
        pass


if __name__ == "__main__":
    main()
