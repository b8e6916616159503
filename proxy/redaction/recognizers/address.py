"""US-style street addresses: house number, capitalised street name, street suffix, then optional unit,
city, state and ZIP. Also PO boxes. Free-form addresses without a suffix are left to the NER model."""

from __future__ import annotations

from proxy.redaction.recognizers.base import Pattern, SppPatternRecognizer

_SUFFIXES = (
    "Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter"
    "|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Alley|Aly|Plaza|Plz|Loop|Row|Pike|Crescent"
    "|Cres|Close|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke|Walk|Path|Run|Crossing|Xing|Point|Pt|Ridge"
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND"
    "|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI"
)
_WORD = r"\p{Lu}[\p{L}'\-]*\.?"
_NUMBERED = r"\d{1,3}(?:st|nd|rd|th)"
_STREET = (
    r"\b\d{1,6}[A-Z]?"
    r"(?:[ \t]+(?:[NSEW]|NE|NW|SE|SW|North|South|East|West)\.?)?"
    rf"(?:[ \t]+(?:{_NUMBERED}|{_WORD})){{1,4}}?"
    rf"[ \t]+(?:{_SUFFIXES})\b\.?"
    r"(?:[ \t]+(?:[NSEW]|NE|NW|SE|SW)\b\.?)?"
)
_UNIT = (
    r"(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|Building|\#)\.?[ \t]*\#?[ \t]*"
    r"[A-Za-z0-9\-]{1,6})?"
)
# City, state and ZIP may follow on the next line, as in a mailing label.
_GAP = r"(?:,?[ \t]+|,?[ \t]*\n[ \t]*)"
_CITY_STATE_ZIP = (
    rf"(?:{_GAP}{_WORD}(?:[ \t]+{_WORD}){{0,2}},[ \t]*\n?[ \t]*(?:{_STATES})\b(?:[ \t]+\d{{5}}(?:-\d{{4}})?)?"
    r"|,?[ \t]+\d{5}(?:-\d{4})?\b)?"
)
_PO_BOX = r"\bP\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{1,6}\b"


class StreetAddressRecognizer(SppPatternRecognizer):
    ENTITY = "STREET_ADDRESS"
    NAME = "street_address"
    PATTERNS = [
        Pattern("street_address", _STREET + _UNIT + _CITY_STATE_ZIP, 0.75),
        Pattern("po_box", _PO_BOX + _CITY_STATE_ZIP, 0.75),
    ]
    CONTEXT = ["address", "addr", "street", "lives at", "resides", "mailing", "ship to", "billing", "home"]
    CONTEXT_SCORE = 0.9
