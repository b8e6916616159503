"""The security-requirement template library and the topic detection that picks packs.

library.py loads and validates packs (prompt_templates/**/*.md.j2, team folders override by id);
triggers.py, language.py and topics.py detect what a turn is about; select.py picks packs; render.py
renders them in Jinja's sandbox within a token budget; inject.py puts the block into the upstream
request; plan.py ties these together for the stage (proxy/stages/templates.py) and commands.py serves
the CLI; lint.py checks a library before it ships.
"""
