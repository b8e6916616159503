"""Pipeline stages: each security concern is one stage (see proxy/pipeline/stage.py)."""
