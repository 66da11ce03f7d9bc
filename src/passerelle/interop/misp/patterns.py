"""MISP attribute types and the STIX patterns that say the same thing, both ways.

Each shape pairs a MISP type with a pattern template whose slots take the parts of the value
(``filename|md5`` has two); ``{s}`` is a string literal, ``{n}`` an integer. Reading fills the
template (escaping quotes and backslashes); writing matches the pattern against the templates,
first match wins, so that ``ip-src`` and ``ip-dst``, which both become ``[ipv4-addr:value =
...]``, come back as ``ip-dst`` unless the record kept its original type. A pattern no template
matches is written as a ``stix2-pattern`` attribute.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Final

from passerelle.errors import InvalidMisp, PasserelleError
from passerelle.interop.stix.patterns import check_pattern

Check = Callable[[str], bool]

_NET = "[network-traffic:{side}_ref.type = '{kind}' AND network-traffic:{side}_ref.value = {{s}} " \
       "AND network-traffic:{side}_port = {{n}}]"


def _ip(version: int) -> Check:
    def check(text: str) -> bool:
        try:
            return ipaddress.ip_network(text, strict=False).version == version
        except ValueError:
            return False
    return check


def _hex(length: int) -> Check:
    return lambda text: len(text) == length and all(c in "0123456789abcdefABCDEF" for c in text)


def _any(text: str) -> bool:
    return bool(text)


def _port(text: str) -> bool:
    return text.isdigit() and int(text) <= 65535


def _asn(text: str) -> bool:
    digits = text[2:] if text[:2].upper() == "AS" else text
    return digits.isdigit() and digits.isascii()


@dataclass(frozen=True, slots=True)
class Shape:
    """A MISP type, the pattern it becomes, and what each part of its value must be."""

    misp_type: str
    template: str
    parts: tuple[Check, ...]

    def fill(self, parts: list[str]) -> str:
        """The pattern for the value's ``parts``."""
        values = iter(parts)
        return re.sub(r"\{([sn])\}", lambda slot: _literal(slot.group(1), next(values)),
                      self.template)

    def regex(self) -> re.Pattern[str]:
        """What the template's patterns look like, with one group per slot."""
        return _regex(self.template)


def _literal(kind: str, text: str) -> str:
    if kind == "n":
        return str(int(text[2:] if text[:2].upper() == "AS" else text))
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@cache
def _regex(template: str) -> re.Pattern[str]:
    pieces = re.split(r"(\{[sn]\})", template)
    out = []
    for piece in pieces:
        if piece == "{s}":
            out.append(r"'((?:[^'\\]|\\.)*)'")
        elif piece == "{n}":
            out.append(r"(\d+)")
        else:
            out.append(r"\s*".join(re.escape(word) for word in piece.split(" ")))
    # Hash names may be written with or without quotes when they need none (MD5, SSDEEP).
    text = re.sub(r"hashes\\\.'([^']+)'", lambda m: f"hashes\\.'?{m.group(1)}'?",
                  "".join(out))
    return re.compile("^" + text + "$", re.DOTALL)


def _shapes() -> list[Shape]:
    v4, v6 = _ip(4), _ip(6)
    shapes = [
        Shape("ip-dst", "[ipv4-addr:value = {s}]", (v4,)),
        Shape("ip-dst", "[ipv6-addr:value = {s}]", (v6,)),
        Shape("ip-src", "[ipv4-addr:value = {s}]", (v4,)),
        Shape("ip-src", "[ipv6-addr:value = {s}]", (v6,)),
    ]
    for side in ("dst", "src"):
        for kind, check in (("ipv4-addr", v4), ("ipv6-addr", v6)):
            shapes.append(Shape(f"ip-{side}|port", _NET.format(side=side, kind=kind),
                                (check, _port)))
    shapes += [Shape(name, template, (_any,)) for name, template in _SINGLE]
    for name, hash_name, length in _HASHES:
        shapes.append(Shape(name, f"[file:hashes.{hash_name} = {{s}}]", (_hex(length),)))
        shapes.append(Shape(f"filename|{name}", f"[file:name = {{s}} AND "
                            f"file:hashes.{hash_name} = {{s}}]", (_any, _hex(length))))
    return [*shapes, *_composites(v4, v6)]


_SINGLE: Final = (
    ("domain", "[domain-name:value = {s}]"),
    ("hostname", "[domain-name:value = {s}]"),
    ("url", "[url:value = {s}]"),
    ("uri", "[url:value = {s}]"),
    ("email", "[email-addr:value = {s}]"),
    ("email-src", "[email-message:from_ref.value = {s}]"),
    ("email-dst", "[email-message:to_refs[*].value = {s}]"),
    ("email-subject", "[email-message:subject = {s}]"),
    ("filename", "[file:name = {s}]"),
    ("mutex", "[mutex:name = {s}]"),
    ("regkey", "[windows-registry-key:key = {s}]"),
    ("mac-address", "[mac-addr:value = {s}]"),
    ("user-agent", "[network-traffic:extensions.'http-request-ext'.request_header."
                   "'User-Agent' = {s}]"),
    ("ssdeep", "[file:hashes.'SSDEEP' = {s}]"),
    ("tlsh", "[file:hashes.'TLSH' = {s}]"),
)
_HASHES: Final = (
    ("md5", "'MD5'", 32), ("sha1", "'SHA-1'", 40), ("sha256", "'SHA-256'", 64),
    ("sha512", "'SHA-512'", 128), ("sha3-256", "'SHA3-256'", 64),
    ("sha3-512", "'SHA3-512'", 128),
)


def _composites(v4: Check, v6: Check) -> list[Shape]:
    def ip(text: str) -> bool:
        return v4(text) or v6(text)

    return [
        Shape("domain|ip", "[domain-name:value = {s} AND "
                           "domain-name:resolves_to_refs[*].value = {s}]", (_any, ip)),
        Shape("regkey|value", "[windows-registry-key:key = {s} AND "
                              "windows-registry-key:values[*].data = {s}]", (_any, _any)),
        Shape("AS", "[autonomous-system:number = {n}]", (_asn,)),
        *(Shape(f"x509-fingerprint-{name}", f"[x509-certificate:hashes.{hash_name} = {{s}}]",
                (_hex(length),)) for name, hash_name, length in _HASHES[:3]),
    ]


SHAPES: Final = tuple(_shapes())
PATTERN_TYPES: Final = frozenset(shape.misp_type for shape in SHAPES)
LANGUAGES: Final = {"yara": "yara", "sigma": "sigma", "snort": "snort"}
"""MISP types whose value is a rule in a pattern language STIX names: type -> pattern_type."""


def pattern_for(misp_type: str, value: str, field: str) -> tuple[str, str] | None:
    """The (pattern, pattern_type) an attribute becomes, or None for a type that is not an
    indicator. Raises ``InvalidMisp`` naming ``field`` for a value its type cannot have."""
    if misp_type in LANGUAGES:
        return value, LANGUAGES[misp_type]
    if misp_type == "stix2-pattern":
        return _checked(value.strip(), field), "stix"
    shapes = [shape for shape in SHAPES if shape.misp_type == misp_type]
    if not shapes:
        return None
    for shape in shapes:
        parts = value.split("|", len(shape.parts) - 1)
        if len(parts) == len(shape.parts) and all(
                check(part) for check, part in zip(shape.parts, parts, strict=True)):
            return _checked(shape.fill(parts), field), "stix"
    raise InvalidMisp(f"{value!r} is not a valid {misp_type} value", field=field)


def _checked(pattern: str, field: str) -> str:
    try:
        check_pattern(pattern, field)
    except PasserelleError as error:
        raise InvalidMisp(error.detail, field=field) from None
    return pattern


def attribute_for(pattern: str, pattern_type: str) -> tuple[str, str]:
    """The MISP (type, value) for an indicator's pattern."""
    if pattern_type != "stix":
        known = {language: name for name, language in LANGUAGES.items()}
        return known.get(pattern_type, "other"), pattern
    for shape in SHAPES:
        found = shape.regex().match(pattern)
        if found is not None:
            parts = [re.sub(r"\\(.)", r"\1", part) for part in found.groups()]
            return shape.misp_type, "|".join(parts)
    return "stix2-pattern", pattern
