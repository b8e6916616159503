"""Values that are placeholders by definition, never a person's data: AWS resource ids, 555-01xx numbers.

- AWS resource ids (`sg-0a1b…`, `subnet-…`, `i-…`, `ami-…`) are hex after a fixed prefix. Their digits
  satisfy the ID shapes of health-plan, MRN or bank recognizers, but they name infrastructure.
- 555-0100 … 555-0199 are reserved for fiction in the North American Numbering Plan.
"""

from __future__ import annotations

import regex as re

_AWS_PREFIXES = (
    "sg|subnet|vpc|i|ami|vol|snap|eni|igw|nat|rtb|acl|eipalloc|eipassoc|lt|tgw|tgw-attach|pcx|vpce|dopt"
    "|cgw|vgw|vpn|fl|elb|rtbassoc|aclassoc|subnet-assoc|r|sir|fs|fsmt"
)
_AWS_ID = re.compile(rf"(?<![\w\-])(?:{_AWS_PREFIXES})-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})(?![\w\-])")
_FICTIONAL_PHONE = re.compile(r"(?<!\d)555[\s.\-]?01\d\d$")


def in_aws_resource_id(text: str, start: int, end: int) -> bool:
    """The span lies inside an AWS resource id such as `sg-7126943b0076c54e2`."""
    window = _AWS_ID.finditer(text, max(0, start - 24), min(len(text), end + 24))
    return any(m.start() <= start and end <= m.end() for m in window)


def fictional_phone(value: str) -> bool:
    """A North American number in the 555-0100…555-0199 range reserved for fiction."""
    return _FICTIONAL_PHONE.search(value.rstrip()) is not None
