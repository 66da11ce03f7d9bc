"""Jinja2 rendering of the pages: autoescaped templates shipped in the package.

Every text a person typed — names in any script above all — goes through ``bdi`` (an
isolated run, ``<bdi>``, its direction found from its first letter), so that an Arabic name
inside a French sentence neither reorders the sentence nor is reordered by it. The node's own
sentences that quote names (the matcher's evidence) go through ``sentence``: isolated too, but
always left to right.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

_env = Environment(loader=PackageLoader("passerelle.web", "templates"),
                   autoescape=select_autoescape(("html",)), trim_blocks=True,
                   lstrip_blocks=True)


def bdi(value: object) -> Markup:
    """``value`` as an isolated bidirectional run."""
    return Markup("<bdi>{}</bdi>").format(escape("" if value is None else str(value)))


def sentence(value: object) -> Markup:
    """A sentence of the node's own (left to right) quoting names in any script: isolated as
    a left-to-right run, so that an Arabic name at its start does not turn it around."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(escape("" if value is None else str(value)))


def when(value: dt.datetime | dt.date | str | None) -> str:
    """A date or an instant as the pages show it: ``2026-12-06 09:40 UTC``."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return when(instant)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def duration(value: dt.timedelta | None) -> str:
    """A lag as people say it: ``40 s``, ``12 min``, ``3 h 05 min``, ``2 d 4 h``."""
    if value is None:
        return "—"
    seconds = max(0, int(value.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


_env.filters["bdi"] = bdi
_env.filters["sentence"] = sentence
_env.filters["duration"] = duration
_env.filters["when"] = when


def render(template: str, context: dict[str, Any]) -> str:
    """The page ``template`` filled with ``context``."""
    return _env.get_template(template).render(context)
