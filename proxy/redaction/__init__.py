"""Finding secrets and PII/PHI in prompt text and swapping them for stable placeholders."""
