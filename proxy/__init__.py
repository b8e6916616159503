"""secure-prompt-proxy: an OpenAI-compatible gateway that keeps secrets in and insecure code out."""

__version__ = "0.1.0"
