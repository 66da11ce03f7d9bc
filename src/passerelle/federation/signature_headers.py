"""The ``Signature-Input`` and ``Signature`` fields of RFC 9421, read and written as RFC 8941
structured fields (with the ``http-sf`` package, by the author of the structured-fields RFCs).

``SignatureParams`` keeps the covered components and every parameter *in the order received*:
the ``@signature-params`` line of the signature base is their re-serialisation, so dropping or
reordering an unknown parameter would break a signature that is otherwise valid.

Parsing is strict where leniency would be ambiguous: a label given twice (which RFC 8941 would
resolve as "last one wins") is refused, because a proxy that appends a second ``Signature``
line must not be able to replace the one that was checked. Component identifiers with
parameters (``;sf``, ``;key``, ``;req``, ...) are refused: Passerelle neither sends nor needs
them. Every refusal is a ``SignatureRejected`` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn

import http_sf
from http_sf.types import BareItemType, ItemType

from passerelle.errors import RejectReason, SignatureRejected

SIGNATURE_INPUT = "signature-input"
SIGNATURE = "signature"
ParamValue = BareItemType


def _malformed(detail: str, field: str) -> NoReturn:
    raise SignatureRejected(RejectReason.MALFORMED_SIGNATURE, detail, field=field)


def _refuse_duplicate(field: str) -> http_sf.OnDuplicateKeyType:
    def refuse(key: str, context: str) -> None:
        _malformed(f"{key!r} is given twice", field)
    return refuse


@dataclass(frozen=True, slots=True)
class SignatureParams:
    """One signature's covered components and parameters (``created``, ``keyid``...)."""

    components: tuple[str, ...]
    params: tuple[tuple[str, ParamValue], ...]

    def integer(self, name: str) -> int | None:
        """The parameter ``name`` if it is an integer (booleans are not), else None."""
        value = dict(self.params).get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def string(self, name: str) -> str | None:
        """The parameter ``name`` if it is a string (not a token), else None."""
        value = dict(self.params).get(name)
        return value if type(value) is str else None

    def has(self, name: str) -> bool:
        """Whether the parameter ``name`` is present, whatever its type."""
        return name in dict(self.params)

    def serialise(self) -> str:
        """The inner list, e.g. ``("@method" "@path");created=1618884473;keyid="k"``: the
        value of the ``@signature-params`` component and of a ``Signature-Input`` member."""
        return http_sf.ser([self._inner_list()])

    def _inner_list(self) -> tuple[list[ItemType], dict[str, BareItemType]]:
        return [(name, {}) for name in self.components], dict(self.params)


def serialise_signature_input(signatures: Mapping[str, SignatureParams]) -> str:
    """The ``Signature-Input`` field value: one member per label."""
    return http_sf.ser({label: params._inner_list() for label, params in signatures.items()})


def serialise_signatures(signatures: Mapping[str, bytes]) -> str:
    """The ``Signature`` field value: one byte sequence per label."""
    return http_sf.ser({label: (value, {}) for label, value in signatures.items()})


def _dictionary(value: str, field: str) -> http_sf.DictionaryType:
    try:
        parsed = http_sf.parse(value.encode("ascii"), tltype="dictionary",
                               on_duplicate_key=_refuse_duplicate(field))
    except UnicodeError:
        _malformed("not ASCII", field)
    except http_sf.StructuredFieldError as error:
        _malformed(f"not a structured dictionary ({error})", field)
    assert isinstance(parsed, dict)
    return parsed


def _component(item: object, label: str) -> str:
    if not isinstance(item, tuple):
        _malformed(f"{label}: a covered component is not an item", SIGNATURE_INPUT)
    name, component_params = item
    if type(name) is not str:
        _malformed(f"{label}: a covered component is not a string", SIGNATURE_INPUT)
    if component_params:
        _malformed(f"{label}: component parameters are not supported ({name})",
                   SIGNATURE_INPUT)
    return name


def _params(member: object, label: str) -> SignatureParams:
    if not (isinstance(member, tuple) and isinstance(member[0], list)):
        _malformed(f"{label} is not an inner list", SIGNATURE_INPUT)
    items, params = member
    components = tuple(_component(item, label) for item in items)
    if len(set(components)) != len(components):
        _malformed(f"{label}: a component is covered twice", SIGNATURE_INPUT)
    return SignatureParams(components, tuple(params.items()))


def parse_signature_input(value: str) -> dict[str, SignatureParams]:
    """Every signature declared in a ``Signature-Input`` value, by label."""
    return {label: _params(member, label)
            for label, member in _dictionary(value, SIGNATURE_INPUT).items()}


def parse_signatures(value: str) -> dict[str, bytes]:
    """Every signature of a ``Signature`` value, by label; each must be a byte sequence."""
    found: dict[str, bytes] = {}
    for label, member in _dictionary(value, SIGNATURE).items():
        item = member[0] if isinstance(member, tuple) else member
        if not isinstance(item, bytes):
            _malformed(f"{label} is not a byte sequence", SIGNATURE)
        found[label] = item
    return found
