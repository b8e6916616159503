"""Build bench/data/redaction_heldout2.yaml: a second held-out redaction corpus.

Why a second one: the first held-out set gets looked at once its misses are fixed, so it drifts towards a
development set. These templates (h2_*.py) were written without reading the development or first held-out
templates, the corpora or the detector code, from other sources (Helm/Ansible/Airflow/dbt/Kafka/Spark configs,
Firebase/Supabase/Prisma/Vercel/Netlify env files, mobile app configs, CI files, SAML/LDAP/OAuth, EHR,
pharmacy, claims, HR and support data). Same marker language, label types and YAML format as
bench/data/redaction/make_corpus.py, so bench/redaction.py scores it unchanged:

    .venv/bin/python bench/data/redaction_heldout2/make_heldout2.py
    SPP_REDACTION_CORPUS=bench/data/redaction_heldout2.yaml .venv/bin/python bench/redaction.py --markdown

Checks on top of make_corpus's: ids start with `h2-`; every sensitive value stands as a whole token; checksummed
values (cards, IBANs, NPIs, DEA and MBI numbers) are re-validated; the prompt count is not a multiple of 37,
because scoring.sized_texts starts its samples at i*37 mod n and such a count would repeat starts.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "redaction_heldout"))
sys.path.insert(0, str(HERE.parent / "redaction"))

import make_corpus  # noqa: E402
from templates_h2 import TEMPLATES  # noqa: E402
from values_heldout2 import PII_TYPES, SECRET_TYPES, Heldout2Values  # noqa: E402

OUT = HERE.parent / "redaction_heldout2.yaml"
SEED = 20261128  # neither the development nor the first held-out seed

make_corpus.SECRET_TYPES.update(SECRET_TYPES)
make_corpus.PII_TYPES.update(PII_TYPES)


def _check_tokens(pid: str, text: str, sensitive: list[dict[str, str]]) -> None:
    """A sensitive value glued to letters or digits can never disappear from the text: unfair label."""
    for e in sensitive:
        v = e["value"]
        for m in re.finditer(re.escape(v), text):
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if (before.isalnum() and v[0].isalnum()) or (after.isalnum() and v[-1].isalnum()):
                raise ValueError(f"{pid}: {e['type']} value occurs inside a longer word")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _iban_ok(v: str) -> bool:
    s = v.replace(" ", "")
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def _dea_ok(v: str) -> bool:
    d = [int(c) for c in v[2:]]
    return len(v) == 9 and (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_MBI = re.compile(
    r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}"
)

_VALID = {
    "CREDIT_CARD": lambda v: _luhn_ok(re.sub(r"[ -]", "", v)),
    "IBAN_CODE": _iban_ok,
    "US_NPI": lambda v: len(v) == 10 and _luhn_ok("80840" + v),
    "DEA_NUMBER": _dea_ok,
    "US_MBI": lambda v: bool(_MBI.fullmatch(v.replace("-", ""))),
}


def _check_formats(pid: str, sensitive: list[dict[str, str]]) -> None:
    for e in sensitive:
        check = _VALID.get(e["type"])
        if check and not check(e["value"]):
            raise ValueError(f"{pid}: {e['type']} value fails its checksum/format rule")


def build(seed: int = SEED) -> dict[str, Any]:
    values = Heldout2Values(seed)
    prompts = []
    seen: set[str] = set()
    for pid, category, template in TEMPLATES:
        if pid in seen:
            raise ValueError(f"duplicate prompt id {pid}")
        if not pid.startswith("h2-"):  # guards against importing another set's template module by mistake
            raise ValueError(f"second held-out prompt ids start with 'h2-': {pid}")
        seen.add(pid)
        body = "\n".join(line.rstrip() for line in template.strip("\n").split("\n"))
        text, sensitive, benign = make_corpus.render(values, body)
        make_corpus._check(pid, text, sensitive, benign)
        _check_tokens(pid, text, sensitive)
        _check_formats(pid, sensitive)
        prompts.append(
            {
                "id": pid,
                "category": category,
                "text": text,
                "sensitive": [make_corpus._Label(e) for e in sensitive],
                "benign": [make_corpus._Label(e) for e in benign],
            }
        )
    if len(prompts) % 37 == 0:
        raise ValueError("prompt count is a multiple of 37: scoring.sized_texts would reuse start offsets")
    return {
        "version": 1,
        "about": "SECOND HELD-OUT labelled coding prompts for the redaction benchmark: templates written without "
        "seeing the development or first held-out corpus, or the detectors. All values are random fakes "
        "(format-valid, never real credentials or people). Generated by "
        f"bench/data/redaction_heldout2/make_heldout2.py (seed {seed}); edit the templates, not this file.",
        "prompts": prompts,
    }


def main() -> None:
    make_corpus.cli("Write the second held-out labelled redaction corpus.", build, SEED, OUT)


if __name__ == "__main__":
    main()
