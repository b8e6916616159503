"""Redaction (first request stage) and its twin, rehydration (last response stage).

On the way in, every piece of client text is scanned for secrets, PII/PHI and team terms and each
value is replaced by a stable placeholder. On the way out, placeholders of restorable families (PII
by default, not secrets) are swapped back, also when a placeholder is split across stream chunks.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from functools import cache

from proxy.pipeline.context import Context
from proxy.pipeline.request import LLMRequest
from proxy.pipeline.stage import Blocked, Stage, TextStream
from proxy.redaction.config import RedactionSettings
from proxy.redaction.redactor import RedactionTimeout, Redactor, SensitiveDataBlocked, apply
from proxy.redaction.types import Detection
from proxy.redaction.vault import MAX_PLACEHOLDER_LEN, Vault, partial_placeholder_tail
from proxy.settings import Settings

log = logging.getLogger("spp.redaction")

SYSTEM_NOTE = (
    "Some values in this conversation were replaced by placeholders such as <PERSON_1> or "
    "<SECRET_API_KEY_1> for privacy. Keep every placeholder exactly as written (same brackets, "
    "case and number) wherever you refer to that value; do not invent values for them."
)


def detectors_for(settings: RedactionSettings) -> list[Callable[[str], list[Detection]]]:
    """The detection functions a policy asks for (engines are cached, so this is cheap per request)."""
    out: list[Callable[[str], list[Detection]]] = []
    if settings.secrets:
        from proxy.redaction.secrets import SecretDetector

        out.append(SecretDetector.default().detect)
    if settings.pii:
        from proxy.redaction.pii import get_pii_detector

        out.append(get_pii_detector(settings).detect)
    if settings.deny_terms:
        out.append(_terms(tuple(settings.deny_terms)))
    return out


@cache
def _terms(terms: tuple[str, ...]) -> Callable[[str], list[Detection]]:
    from proxy.redaction.terms import TermMatcher

    return TermMatcher(list(terms)).detect


def redactor_for(settings: RedactionSettings) -> Redactor:
    return Redactor(settings, detectors_for(settings))


class RedactStage(Stage):
    name = "redact"

    def __init__(self, settings: Settings) -> None:
        self._store_prompts = settings.usage.store_prompts == "redacted"
        # Build the engines now (model load, rule compile) so the first request is not the slow one,
        # and a broken NER/rules setup shows up at startup rather than as refused requests.
        redactor_for(settings.redaction)
        for team in settings.teams:
            redactor_for(settings.policy_for(team).redaction)

    @staticmethod
    def _settings(ctx: Context) -> RedactionSettings:
        return ctx.state["policy"].redaction

    def on_request(self, ctx: Context, request: LLMRequest) -> None:
        settings = self._settings(ctx)
        vault = Vault()
        ctx.state["vault"] = vault
        if not settings.enabled:
            return
        redactor = redactor_for(settings)
        deadline = time.perf_counter() + settings.timeout_ms / 1000.0
        slots = list(request.text_slots())
        try:
            # Pass 1: decide every slot first, so numbering follows order of appearance and a value
            # found anywhere is known before any text is rewritten.
            decided = []
            for slot in slots:
                text = slot.get()
                dets = redactor.decide(text)
                for d in dets:
                    vault.placeholder_for(text[d.start:d.end], d.entity_type, d.family)
                decided.append((slot, text, dets))
                if time.perf_counter() > deadline:
                    raise RedactionTimeout()
        except SensitiveDataBlocked as exc:
            ctx.redactions[exc.entity_type] += 1  # the audit record shows which type was refused
            raise Blocked(f"Request refused: it contains {exc.entity_type}, which your team's policy does "
                          "not allow to be sent to the model. Remove it and try again.",
                          status=400, code="sensitive_data_blocked") from None
        except RedactionTimeout:
            raise Blocked("Request refused: the sensitive-data check timed out, so nothing was sent.",
                          status=503, code="redaction_timeout", outcome="refused") from None
        # Pass 2: replace detected spans and every other occurrence of a known value.
        known = vault.value_pattern()
        for slot, text, dets in decided:
            if not dets and known is None:
                continue
            new, replaced = apply(text, dets, vault, known)
            if replaced:
                slot.set(new)
                for d in replaced:
                    ctx.redactions[d.entity_type] += 1
        if isinstance(request.body.get("user"), str):
            # OpenAI's `user` field often carries an email or name; providers only need a stable id.
            request.body["user"] = pseudonym(ctx)
        if vault and settings.system_note and request.endpoint == "chat":
            _add_system_note(request, SYSTEM_NOTE)
        if self._store_prompts:
            ctx.redacted_prompt = request.latest_user_text()

    # -- rehydration ------------------------------------------------------------------------------
    def _families(self, ctx: Context) -> frozenset[str]:
        settings = self._settings(ctx)
        fams = set()
        if settings.restore.pii:
            fams.update({"pii", "term"})
        if settings.restore.secrets:
            fams.add("secret")
        return frozenset(fams)

    def stream_hold(self, ctx: Context, stream: TextStream, pending: str) -> int:
        vault: Vault | None = ctx.state.get("vault")
        if not vault:
            return 0
        return partial_placeholder_tail(pending, min(MAX_PLACEHOLDER_LEN, vault.longest()))

    def on_chunk(self, ctx: Context, stream: TextStream, text: str) -> str:
        vault: Vault | None = ctx.state.get("vault")
        if not vault:
            return text
        return vault.restore(text, self._families(ctx), json_escape=stream.kind == "tool_arguments")


def pseudonym(ctx: Context) -> str:
    """A stable, non-reversible id for the authenticated user (for the provider's abuse tracking)."""
    digest = hashlib.sha256(f"{ctx.principal.team}/{ctx.principal.user}".encode()).hexdigest()[:20]
    return f"spp-{digest}"


def _add_system_note(request: LLMRequest, note: str) -> None:
    msgs = request.messages
    if msgs and msgs[0].get("role") in ("system", "developer") and isinstance(msgs[0].get("content"), str):
        msgs[0]["content"] = f"{msgs[0]['content']}\n\n{note}"
    else:
        msgs.insert(0, {"role": "system", "content": note})
