"""A self-contained HTML reference of the API, rendered from the OpenAPI document.

Interactive viewers load scripts from public CDNs, which a node on an agency's network must not
do; this page is plain server-side HTML with no script at all. The web pages link to it.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

STYLE = " ".join((
    "body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;",
    "padding:0 1rem;color:#1b1b1b} h1{margin-bottom:.2rem}",
    "code{background:#f2f2f2;padding:0 .25rem;border-radius:3px}",
    "section{border-top:1px solid #ddd;padding:.6rem 0}",
    ".m{display:inline-block;min-width:4.5rem;font-weight:700}",
    "table{border-collapse:collapse;margin:.3rem 0}",
    "td,th{border:1px solid #ddd;padding:.15rem .5rem;text-align:left} .muted{color:#555}",
))


def _parameters(operation: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
        f"<td>{'yes' if p.get('required') else ''}</td>"
        f"<td>{escape(p.get('description', ''))}</td></tr>"
        for p in operation.get("parameters", []))
    if not rows:
        return ""
    return ("<table><tr><th>parameter</th><th>in</th><th>required</th><th>meaning</th></tr>"
            f"{rows}</table>")


def _operation(path: str, method: str, operation: dict[str, Any]) -> str:
    statuses = ", ".join(sorted(operation.get("responses", {})))
    return (f"<section><div><span class='m'>{method.upper()}</span><code>{escape(path)}</code>"
            f" — {escape(operation.get('summary', ''))}</div>"
            f"<p class='muted'>{escape(operation.get('description', ''))}</p>"
            f"{_parameters(operation)}<div class='muted'>answers: {escape(statuses)}</div>"
            "</section>")


def render(schema: dict[str, Any]) -> str:
    """The whole reference page, grouped by tag."""
    by_tag: dict[str, list[str]] = {}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            tag = (operation.get("tags") or ["other"])[0]
            by_tag.setdefault(tag, []).append(_operation(path, method, operation))
    body = "".join(f"<h2>{escape(tag)}</h2>{''.join(ops)}" for tag, ops in sorted(by_tag.items()))
    info = schema.get("info", {})
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(info.get('title', 'Passerelle'))} API</title>"
            f"<style>{STYLE}</style></head><body><h1>Passerelle API</h1>"
            f"<p>{escape(info.get('description', ''))}</p>"
            "<p>Machine-readable: <a href='/api/v1/openapi.json'><code>/api/v1/openapi.json"
            f"</code></a></p>{body}</body></html>")


@router.get("/api/v1/docs", response_class=HTMLResponse)
def reference(request: Request) -> HTMLResponse:
    """The API reference for people."""
    return HTMLResponse(render(request.app.openapi()))

