"""TAXII 2.1 media types: does a request's ``Accept`` allow TAXII JSON, is its body TAXII JSON.

Every TAXII 2.1 resource, objects included (wrapped in an envelope), is
``application/taxii+json;version=2.1``. A media type without ``version`` means the latest
version, which for this server is 2.1. ``Accept`` follows RFC 9110: among the ranges that
match, the most specific decides, and ``q=0`` refuses; a request without ``Accept`` accepts
anything.
"""

from __future__ import annotations

TAXII_TYPE = "application/taxii+json"
TAXII_VERSION = "2.1"


def _parse(media_range: str) -> tuple[str, dict[str, str]]:
    """``"application/taxii+json; version=2.1"`` -> type and lower-cased parameters."""
    kind, *params = media_range.split(";")
    parsed: dict[str, str] = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"')
    return kind.strip().lower(), parsed


def _weight(params: dict[str, str]) -> float:
    try:
        return float(params.get("q", "1"))
    except ValueError:
        return 0.0


def _specificity(kind: str, params: dict[str, str]) -> int | None:
    """How precisely a range names TAXII 2.1 JSON (higher is more precise); None: not at all."""
    if kind == TAXII_TYPE:
        version = params.get("version")
        if version is None:
            return 2
        return 3 if version == TAXII_VERSION else None
    return {"application/*": 1, "*/*": 0}.get(kind)


def accepts_taxii(accept: str | None) -> bool:
    """True when a response in TAXII 2.1 JSON is acceptable to the client."""
    if accept is None or not accept.strip():
        return True
    best: tuple[int, float] | None = None
    for media_range in accept.split(","):
        kind, params = _parse(media_range)
        specificity = _specificity(kind, params)
        if specificity is not None and (best is None or specificity > best[0]):
            best = (specificity, _weight(params))
    return best is not None and best[1] > 0


def is_taxii(content_type: str | None) -> bool:
    """True when a body declared as ``content_type`` is TAXII 2.1 JSON."""
    if not content_type:
        return False
    kind, params = _parse(content_type)
    return kind == TAXII_TYPE and params.get("version", TAXII_VERSION) == TAXII_VERSION
