"""Upstream providers behind one small interface: litellm for every provider, a thin passthrough for
OpenAI-compatible bases (measurably faster; see docs/BENCHMARKS.md)."""

from proxy.upstream.base import Upstream, UpstreamError, upstream_model_name

__all__ = ["Upstream", "UpstreamError", "upstream_model_name"]
