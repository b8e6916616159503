"""Wire formats: parsing client requests into typed objects and emitting OpenAI-style answers."""
