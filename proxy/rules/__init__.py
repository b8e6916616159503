"""The code rule engine: rules as data, ast-grep and regex matchers, code-block extraction."""
