"""`spp`: serve the proxy and use its engines from the command line (scan, redact, templates, keys, logs)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from proxy.settings import ConfigError, Settings, default_config_path, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="secure-prompt-proxy: an LLM gateway that keeps secrets in and insecure code out.")
templates_app = typer.Typer(no_args_is_help=True, help="The security-requirement template library.")
keys_app = typer.Typer(no_args_is_help=True, help="Per-user API keys (stored only as hashes).")
app.add_typer(templates_app, name="templates")
app.add_typer(keys_app, name="keys")

ConfigOpt = Annotated[str, typer.Option("--config", "-c", help="config.yaml (default: $SPP_CONFIG or ./config.yaml)")]


def _die(msg: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {msg}", err=True)
    raise typer.Exit(code)


def _settings(path: str | None) -> Settings:
    try:
        return load_settings(path or default_config_path())
    except ConfigError as exc:
        _die(str(exc))


def _settings_or_empty(path: str | None) -> Settings | None:
    """For commands that work without a config (scan, redact): use it when present."""
    p = path or default_config_path()
    if not Path(p).exists():
        return None
    return _settings(p)


@app.command()
def serve(config: ConfigOpt = "", host: str = "127.0.0.1", port: int = 8080,
          ) -> None:
    """Run the proxy."""
    settings = _settings(config or None)
    import uvicorn

    from proxy.app import create_app

    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=host, port=port, log_level=settings.log_level,
                loop="auto", http="auto", proxy_headers=False, server_header=False,
                access_log=settings.server.access_log, timeout_graceful_shutdown=10)


@app.command()
def scan(paths: Annotated[list[str], typer.Argument(help="files, folders or - for stdin")],
         lang: Annotated[str | None, typer.Option("--lang", help="force a language")] = None,
         fmt: Annotated[str, typer.Option("--format", help="text | json | sarif")] = "text",
         fail_on: Annotated[str | None,
                            typer.Option("--fail-on", help="exit 1 at/above: low|medium|high|critical")] = None,
         ) -> None:
    """Scan code with the proxy's rule engine (exit 1 when a finding at/above --fail-on exists)."""
    from proxy.rules.scan_cli import run_scan

    if fmt not in ("text", "json", "sarif"):
        _die("--format must be text, json or sarif")
    out, code = run_scan(paths, lang, fmt, fail_on, sys.stdin)
    typer.echo(out, nl=not out.endswith("\n"))
    raise typer.Exit(code)


@app.command()
def redact(file: Annotated[str, typer.Argument(help="a file, or - for stdin")] = "-",
           as_json: Annotated[bool, typer.Option("--json", help="findings: type, rule, span; no values")] = False,
           config: ConfigOpt = "", team: str = "default") -> None:
    """Print the text with secrets and PII replaced by placeholders (exit 1 when anything was found)."""
    from proxy.redaction.cli import run_redact

    text = sys.stdin.read() if file == "-" else _read(file)
    out, code = run_redact(text, _settings_or_empty(config or None), team, as_json)
    typer.echo(out, nl=not out.endswith("\n"))
    raise typer.Exit(code)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        _die(f"cannot read {path}: {exc.strerror}")


@templates_app.command("list")
def templates_list(config: ConfigOpt = "", team: str = "default") -> None:
    """List the packs a team gets."""
    from proxy.templates.cli import cmd_list

    typer.echo(cmd_list(_settings_or_empty(config or None), team))


@templates_app.command("show")
def templates_show(pack_id: str, config: ConfigOpt = "", team: str = "default") -> None:
    """Show one pack's source and metadata."""
    from proxy.templates.cli import cmd_show

    out, code = cmd_show(_settings_or_empty(config or None), team, pack_id)
    typer.echo(out)
    raise typer.Exit(code)


@templates_app.command("render")
def templates_render(prompt: Annotated[str, typer.Option("--prompt")], config: ConfigOpt = "",
                     team: str = "default", lang: Annotated[str | None, typer.Option("--lang")] = None) -> None:
    """Render the security requirements a prompt would get."""
    from proxy.templates.cli import cmd_render

    typer.echo(cmd_render(_settings_or_empty(config or None), team, prompt, lang))


@templates_app.command("lint")
def templates_lint(config: ConfigOpt = "") -> None:
    """Check syntax, front matter, budgets and duplicate ids, and render every pack with its samples."""
    from proxy.templates.cli import cmd_lint

    out, code = cmd_lint(_settings_or_empty(config or None))
    typer.echo(out)
    raise typer.Exit(code)


@keys_app.command("create")
def keys_create(user: Annotated[str, typer.Option("--user")], team: Annotated[str, typer.Option("--team")] = "default",
                config: ConfigOpt = "") -> None:
    """Create a key for a user; it is printed once and stored only as a hash."""
    from proxy.store.keys_cli import create_key

    key_id, plaintext = asyncio.run(create_key(_settings(config or None), user, team))
    typer.echo(f"key_id: {key_id}\nuser: {user}\nteam: {team}\nkey: {plaintext}\n"
               "Store this key now: it cannot be shown again.")


@keys_app.command("list")
def keys_list(config: ConfigOpt = "") -> None:
    """List keys (ids, users, teams; never the keys)."""
    from proxy.store.keys_cli import list_keys

    typer.echo(asyncio.run(list_keys(_settings(config or None))))


@keys_app.command("revoke")
def keys_revoke(key_id: str, config: ConfigOpt = "") -> None:
    """Revoke a key by id."""
    from proxy.store.keys_cli import revoke_key

    ok = asyncio.run(revoke_key(_settings(config or None), key_id))
    if not ok:
        _die(f"no such key: {key_id}", 1)
    typer.echo(f"revoked {key_id}")


@app.command()
def logs(config: ConfigOpt = "", user: str | None = None, team: str | None = None, model: str | None = None,
         outcome: str | None = None, since: str | None = None, until: str | None = None,
         fmt: Annotated[str, typer.Option("--format", help="table | json | csv")] = "table",
         limit: int = 100) -> None:
    """Show usage records."""
    from proxy.store.logs_cli import run_logs

    if fmt not in ("table", "json", "csv"):
        _die("--format must be table, json or csv")
    typer.echo(run_logs(_settings(config or None), user=user, team=team, model=model, outcome=outcome,
                        since=since, until=until, fmt=fmt, limit=limit))


@app.command()
def provenance(paths: Annotated[list[str], typer.Argument(help="repository files or folders")],
               config: ConfigOpt = "", fmt: Annotated[str, typer.Option("--format")] = "table") -> None:
    """Which code in these files matches code the proxy returned (file, lines, when, who, model)."""
    from proxy.store.provenance import run_provenance

    out, code = run_provenance(_settings(config or None), paths, fmt)
    typer.echo(out)
    raise typer.Exit(code)


@app.command("check-config")
def check_config(config: ConfigOpt = "") -> None:
    """Validate a config file and print the effective settings (keys masked)."""
    s = _settings(config or None)
    data = json.loads(s.model_dump_json())
    for m in data["model_list"]:
        if m["litellm_params"].get("api_key"):
            m["litellm_params"]["api_key"] = "***"
    if data["auth"].get("master_key"):
        data["auth"]["master_key"] = "***"
    typer.echo(json.dumps(data, indent=2))


def main() -> None:
    app()
