"""The security-requirement template library and the topic detection that picks packs."""
