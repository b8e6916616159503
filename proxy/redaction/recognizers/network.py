"""Email and IP addresses, offline and without the noise of localhost, private ranges and version numbers."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

import regex as re
import tldextract
from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer, IpRecognizer

from proxy.redaction.recognizers.base import ContextRules, TextFacts, analyze_windows, embedded
from proxy.redaction.recognizers.prefilter import facts_for

# Documentation ranges (RFC 5737 / RFC 3849) are documentation by definition: no person or host of ours
# is ever reachable there, so they are kept (an earlier decision redacted them like public addresses).
_DOCUMENTATION_NETS = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)
_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
# Version strings look like IPv4 addresses: `==1.2.3.4`, `v1.2.3.4`, `version 1.2.3.4`, `Chrome/1.2.3.4`.
_VERSION_BEFORE = re.compile(
    r"(?:[=<>~^!]=?|@|\bv|[A-Za-z]/|§\s*"
    r"|\b(?:version|ver|release|build|rev|section|sec|chapter|clause|figure|fig|table|step|rule|item|para|oid)\s*:?\s*)$",
    re.I,
)

_AT = re.compile("@")
_URL_USERINFO = re.compile(r"[A-Za-z][\w+.\-]*://[^\s/@]*@$")
# An IPv4 address has dotted digits; an IPv6 address at least two colons between hex digits.
_IP_ANCHOR = re.compile(r"\d\.\d{1,3}\.\d|[0-9A-Fa-f]?:[0-9A-Fa-f]{0,4}:")


def has_public_suffix(domain: str) -> bool:
    """The domain ends in a public suffix of the bundled list."""
    return offline_tld_extractor()(domain).suffix != ""


# A key that names an address (`ip=`, `client_addr:`, `--host `) outweighs the `=` of a version pin.
_ADDRESS_KEY = re.compile(
    r"(?i)(?<![A-Za-z])(?:ip|ipv4|ipv6|ip[_\-]?addr(?:ess)?|addr(?:ess)?|host|hostname|src|dst|source|dest"
    r"|destination|remote|client|peer|server|gateway|gw|nameserver|dns|proxy|origin|forwarded[_\-]?for"
    r"|real[_\-]?ip|x[_\-]forwarded[_\-]for)(?-i:(?![a-z]))[\w\-]*[\"']?\s*(?:=|:|\s)\s*[\"'\[]?$"
)


def is_public(address: str) -> bool:
    """Globally routable, and not a documentation range."""
    ip = ipaddress.ip_interface(address).ip
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip not in _GLOBAL_UNICAST_V6:  # `a::b`, `dead::beef` in code are "global" to Python
            return False
    if any(ip in net for net in _DOCUMENTATION_NETS):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


class SppIpRecognizer(ContextRules, IpRecognizer):
    """Presidio's IPv4/IPv6 patterns; `public_ip_only` skips private, loopback, link-local, reserved."""

    CONTEXT = ["ip", "ipv4", "ipv6", "address", "host", "server"]

    def __init__(self, public_only: bool = True) -> None:
        self.public_only = public_only
        super().__init__(context=list(self.CONTEXT), name="ip_address")

    def could_match(self, facts: TextFacts) -> bool:
        return super().could_match(facts) and _IP_ANCHOR.search(facts.text) is not None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, *args: object
    ) -> list[RecognizerResult]:
        return analyze_windows(self, text, facts_for(text).tokens_with(_IP_ANCHOR), entities, nlp_artifacts)

    def invalidate_result(self, pattern_text: str) -> bool:
        try:
            public = is_public(pattern_text)
        except ValueError:
            return True
        return self.public_only and not public

    def reject(self, text: str, start: int, end: int) -> bool:
        if text[end : end + 2][:1] == "." and text[end + 1 : end + 2].isdigit():
            return True  # 1.3.6.1.4.1: an OID or a long version, not an address
        before = text[max(0, start - 2) : start]
        if (
            before[-1:].isalnum()
            or before[-1:] == "_"
            or (before[-1:] in {".", "-"} and not before[:1].isspace())
        ):
            return True  # glued to a word: `section-2.3.2.4`, `1.3.6.1`
        if _URL_USERINFO.search(text, max(0, start - 200), start):
            return False  # `postgresql://user:pw@137.66.54.89:5432`: the host of a URL, not `pkg@1.2.3.4`
        before = text[max(0, start - 24) : start]
        if _ADDRESS_KEY.search(before):
            return False  # `ip=1.2.3.4`, `--host 1.2.3.4`: the key says it is an address
        return bool(_VERSION_BEFORE.search(before[-16:]))


@lru_cache(maxsize=1)
def offline_tld_extractor() -> tldextract.TLDExtract:
    """Public-suffix lookups from the snapshot bundled with tldextract: no remote URLs, no cache dir."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


_KEY_END = "='\"`|{}"
# RFC 2606 / RFC 6761 reserved names: second-level example domains and reserved top-level names.
_RESERVED_SLDS = ("example.com", "example.org", "example.net")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost")


def reserved_domain(domain: str) -> bool:
    """example.com/.org/.net (and their subdomains), or a name under .example/.test/.invalid/.localhost."""
    domain = domain.lower().rstrip(".")
    return domain.rsplit(".", 1)[-1] in _RESERVED_TLDS or any(
        domain == d or domain.endswith("." + d) for d in _RESERVED_SLDS
    )


# Mail headers whose `<id@host>` values are message ids, not mailboxes.
_MESSAGE_ID_LINE = re.compile(r"(?im)^[ \t]*(?:message-id|in-reply-to|references|content-id)[ \t]*:[^\n]*$")


# Local parts that name a service, not a person (`git@github.com:org/repo.git` is an SSH remote).
_SERVICE_LOCAL_PARTS = {"git", "hg", "svn", "ssh"}


class SppEmailRecognizer(ContextRules, EmailRecognizer):
    """Presidio's email pattern, validated against the bundled public-suffix snapshot (never fetched)."""

    CONTEXT = ["email", "e-mail", "mail", "contact"]
    MIN_DIGIT_RUN = 0
    NEEDS_ANY_CHAR = "@"
    REJECT_EMBEDDED = False

    def __init__(self, keep_reserved: bool = False) -> None:
        self.keep_reserved = keep_reserved
        super().__init__(context=list(self.CONTEXT), name="email_address")

    def validate_result(self, pattern_text: str) -> bool:
        local, _, domain = pattern_text.rpartition("@")
        if local.lower() in _SERVICE_LOCAL_PARTS:
            return False
        if self.keep_reserved and reserved_domain(domain):
            return False  # RFC 2606 / 6761: nobody receives mail at example.com
        return has_public_suffix(domain)

    def reject(self, text: str, start: int, end: int) -> bool:
        if embedded(text, start, end) and text[max(0, start - 1) : start] not in {"/", ":", "-", "="}:
            return True
        line_start = text.rfind("\n", 0, start) + 1
        return _MESSAGE_ID_LINE.match(text, line_start) is not None  # `Message-ID: <id@host>`

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, *args: object
    ) -> list[RecognizerResult]:
        windows = facts_for(text).tokens_with(_AT)
        results = analyze_windows(self, text, windows, entities, nlp_artifacts)
        for r in results:
            # `user=ana@x.org`, `email='ana@x.org'`: = and quotes are legal in a local part, but here they
            # end a key, and the placeholder must not swallow it.
            local = text[r.start : text.index("@", r.start)]
            cut = max(local.rfind(c) for c in _KEY_END)
            if 0 <= cut < len(local) - 1:
                r.start += cut + 1
        return results
