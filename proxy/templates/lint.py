"""`spp templates lint`: every problem a pack author can make, found before the pack ships.

Checks syntax and front matter, duplicate ids, names the template may use, kind vs folder, token
budgets, and runs each pack's samples through the real detection and renderer: a topic pack's sample
must select it, every sample must render non-empty within `max_tokens`. Finally a few neutral prompts
("hello", "explain this regex") must select no topic, which catches over-broad triggers in team packs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2
from jinja2 import meta

from proxy.templates.config import TemplateSettings
from proxy.templates.library import (
    KINDS,
    SUFFIX,
    TEMPLATE_VARIABLES,
    Library,
    Pack,
    PackError,
    default_library_dirs,
    environment,
    load_library,
    pack_files,
    parse_pack,
)
from proxy.templates.render import MARKER_TAG, estimate_tokens, render_body
from proxy.templates.select import select_packs
from proxy.templates.topics import LANGUAGES

NEUTRAL_PROMPTS = (
    "hello",
    "thanks, that works!",
    "explain this regex",
    "what's the time complexity of quicksort",
    "what is the difference between a list and a tuple?",
    "write a haiku about autumn",
    "summarise this paragraph in two sentences",
)
BASE_MAX_LINES = 5
_FOLDER_KIND = {"base": "base", "topics": "topic", "languages": "language", "compliance": "compliance"}


def _file_problems(path: Path, pack: Pack, budget: int) -> list[str]:
    out: list[str] = []
    folder_kind = _FOLDER_KIND.get(path.parent.name)
    if folder_kind and folder_kind != pack.kind:
        out.append(f"{path}: kind {pack.kind!r} but the file is in {path.parent.name}/")
    try:
        names = meta.find_undeclared_variables(environment().parse(pack.body))
    except jinja2.TemplateSyntaxError as exc:  # already caught by parse_pack; kept for safety
        names = set()
        out.append(f"{path}: template syntax error: {exc.message}")
    unknown = sorted(set(names) - TEMPLATE_VARIABLES)
    if unknown:
        out.append(f"{path}: unknown template variable(s) {', '.join(unknown)} "
                   f"(available: {', '.join(sorted(TEMPLATE_VARIABLES))})")
    if MARKER_TAG in pack.source:
        out.append(f"{path}: must not contain the marker tag {MARKER_TAG!r}")
    bad_langs = sorted(set(pack.meta.languages) - LANGUAGES)
    if bad_langs:
        out.append(f"{path}: unknown language(s) {', '.join(bad_langs)} "
                   f"(known: {', '.join(sorted(LANGUAGES))})")
    if pack.meta.max_tokens > budget:
        out.append(f"{path}: max_tokens {pack.meta.max_tokens} exceeds the token budget {budget}")
    return out


def _sample_problems(lib: Library, pack: Pack, budget: int) -> list[str]:
    out: list[str] = []
    compliance = [p.id for p in lib.of_kind("compliance")]
    settings = TemplateSettings(compliance=compliance, token_budget=budget, max_topic_packs=50)
    for i, sample in enumerate(pack.meta.samples, 1):
        where = f"{pack.path}: sample {i}"
        sel = select_packs(lib, sample.prompt, settings, team=sample.team, lang=sample.lang)
        if pack not in sel.packs:
            det = sel.detection
            why = (f"topics {list(det.topics) or 'none'}, language {det.language or 'none'}, "
                   f"code intent {det.code_intent}")
            out.append(f"{where} does not select pack {pack.id!r} ({why})")
        variables = dict(sel.variables)
        if pack.kind == "topic" and pack.id not in variables["topics"]:
            variables["topics"] = [*variables["topics"], pack.id]
        try:
            body = render_body(pack, variables)
        except jinja2.TemplateError as exc:
            out.append(f"{where} does not render: {type(exc).__name__}: {exc}")
            continue
        if not body:
            out.append(f"{where} renders empty")
            continue
        tokens = estimate_tokens(f"{pack.meta.title}:\n{body}")
        if tokens > pack.meta.max_tokens:
            out.append(f"{where} renders {tokens} tokens, over max_tokens {pack.meta.max_tokens}")
        if pack.kind == "base" and len(body.splitlines()) > BASE_MAX_LINES:
            out.append(f"{where}: the base pack renders {len(body.splitlines())} lines "
                       f"(at most {BASE_MAX_LINES})")
    return out


def _library_problems(lib: Library, settings: TemplateSettings | None) -> list[str]:
    out: list[str] = []
    topic_ids = {p.id for p in lib.of_kind("topic")}
    for pack in lib.packs.values():
        unknown = sorted(set(pack.meta.requires_topics) - topic_ids)
        if unknown:
            out.append(f"{pack.path}: requires_topics names unknown topic(s) {', '.join(unknown)}")
    neutral_settings = TemplateSettings(max_topic_packs=50)
    for prompt in NEUTRAL_PROMPTS:
        det = select_packs(lib, prompt, neutral_settings).detection
        if det.topics:
            out.append(f"neutral prompt {prompt!r} selects topic(s) {', '.join(det.topics)}: "
                       "triggers too broad")
    if settings is not None:
        for pid in settings.packs or []:
            listed = lib.get(pid)
            if listed is None or listed.kind not in ("topic", "language"):
                out.append(f"settings: packs lists {pid!r}, not a topic or language pack in the library")
        for cid in settings.compliance:
            listed = lib.get(cid)
            if listed is None or listed.kind != "compliance":
                out.append(f"settings: compliance lists {cid!r}, not a compliance pack in the library")
    return out


def lint_library(dirs: Sequence[str | Path] | None = None, *,
                 settings: TemplateSettings | None = None) -> list[str]:
    """All problems in the library made of `dirs` (default: the shipped one); [] when clean.

    Reads the files afresh (no cache), so it reflects what is on disk now. `settings`, when given, also
    checks that the pack ids the config names exist and uses its token budget.
    """
    paths = tuple(default_library_dirs()) if dirs is None else tuple(Path(d).resolve() for d in dirs)
    budget = (settings or TemplateSettings()).token_budget
    problems: list[str] = []
    if not paths:
        return ["no library folder found"]
    for directory in paths:
        if not directory.is_dir():
            problems.append(f"{directory}: library folder not found")
            continue
        for stray in sorted(directory.rglob("*.j2")):
            if not stray.name.endswith(SUFFIX):
                problems.append(f"{stray}: pack files must end in {SUFFIX}")
        for path in pack_files(directory):
            try:
                pack = parse_pack(path)
            except PackError as exc:
                problems.append(f"{path}: {exc}")
                continue
            problems += _file_problems(path, pack, budget)
    lib = load_library(paths, fresh=True)
    problems += [p for p in lib.problems if p not in problems]
    for kind in KINDS:
        for pack in lib.of_kind(kind):
            problems += _sample_problems(lib, pack, budget)
    if not lib.of_kind("base"):
        problems.append("the library has no base pack")
    problems += _library_problems(lib, settings)
    return list(dict.fromkeys(problems))
