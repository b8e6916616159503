"""Line-window hashes of returned code, for `spp provenance` (defined with the block hash in
proxy.rules.fingerprint, so the codescan stage and provenance share one normalisation)."""

from proxy.rules.fingerprint import WINDOW_LINES, block_fingerprints, normalise_lines, window_fingerprints

__all__ = ["WINDOW_LINES", "block_fingerprints", "normalise_lines", "window_fingerprints"]
