"""The signature base of RFC 9421 (section 2.5): the exact bytes an Ed25519 signature covers.

A request is seen as ``RequestParts``: method, URL, header fields and body. Each covered
component contributes one line ``"<name>": <value>``; the last line is ``"@signature-params":``
followed by the serialised parameters. Signer and verifier must derive every value the same
way, so the rules are here once:

- header fields: the name in lower case; several lines of one field are joined with ``", "``
  after trimming each value (RFC 9421 section 2.1);
- ``@method`` as sent (methods are case-sensitive); ``@authority`` in lower case without the
  scheme's default port; ``@path`` raw (percent-encoded as sent), ``/`` when empty;
  ``@query`` raw with its leading ``?``, a lone ``?`` when there is none;
  ``@scheme``, ``@target-uri`` and ``@request-target`` as RFC 9421 section 2.2 defines them.

Component parameters and ``@query-param`` / ``@status`` are not supported: they are refused
when the ``Signature-Input`` is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

import http_sf

from passerelle.errors import RejectReason, SignatureRejected
from passerelle.federation.signature_headers import SignatureParams

HeaderItems = Mapping[str, str] | Iterable[tuple[str, str]]
"""Header fields as a mapping or as (name, value) pairs; pairs may repeat a name."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


def combined_headers(headers: HeaderItems) -> dict[str, str]:
    """Lower-cased names; repeated fields joined with ``", "`` in order (RFC 9110 5.3)."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    combined: dict[str, list[str]] = {}
    for name, value in items:
        combined.setdefault(name.lower(), []).append(value.strip())
    return {name: ", ".join(values) for name, values in combined.items()}


@dataclass(frozen=True, slots=True)
class RequestParts:
    """What a request signature can cover. Build it with ``of``."""

    method: str
    url: SplitResult
    headers: dict[str, str]
    body: bytes

    @classmethod
    def of(cls, method: str, url: str, headers: HeaderItems, body: bytes) -> RequestParts:
        """``url`` is absolute, with the path and query exactly as sent on the wire."""
        return cls(method, urlsplit(url), combined_headers(headers), body)


def _authority(url: SplitResult) -> str:
    host = url.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = url.port
    except ValueError:
        port = None
    if port is None or _DEFAULT_PORTS.get(url.scheme.lower()) == port:
        return host
    return f"{host}:{port}"


def _path(url: SplitResult) -> str:
    return url.path or "/"


def _request_target(url: SplitResult) -> str:
    return _path(url) + (f"?{url.query}" if url.query else "")


_DERIVED: dict[str, Callable[[RequestParts], str]] = {
    "@method": lambda request: request.method,
    "@authority": lambda request: _authority(request.url),
    "@scheme": lambda request: request.url.scheme.lower(),
    "@target-uri": lambda request: request.url.geturl(),
    "@request-target": lambda request: _request_target(request.url),
    "@path": lambda request: _path(request.url),
    "@query": lambda request: f"?{request.url.query}",
}


def component_value(request: RequestParts, name: str) -> str:
    """The value of the component ``name``; ``SignatureRejected(missing_component)`` naming
    it when the request has no such header or the derived component is unknown."""
    if name.startswith("@"):
        derive = _DERIVED.get(name)
        if derive is None:
            raise SignatureRejected(RejectReason.MALFORMED_SIGNATURE,
                                    f"the derived component {name} is not supported",
                                    field=name)
        value = derive(request)
    else:
        found = request.headers.get(name)
        if found is None:
            raise SignatureRejected(RejectReason.MISSING_COMPONENT,
                                    f"the signature covers {name}, which the request lacks",
                                    field=name)
        value = found
    if "\n" in value or "\r" in value or not value.isascii():
        raise SignatureRejected(RejectReason.MALFORMED_SIGNATURE,
                                f"the value of {name} cannot be signed (line break or not "
                                "ASCII)", field=name)
    return value


def signature_base(request: RequestParts, params: SignatureParams) -> bytes:
    """The bytes to sign or verify, as RFC 9421 section 2.5 builds them."""
    lines = [f"{http_sf.ser(name)}: {component_value(request, name)}"
             for name in params.components]
    lines.append(f'"@signature-params": {params.serialise()}')
    return "\n".join(lines).encode("ascii")
