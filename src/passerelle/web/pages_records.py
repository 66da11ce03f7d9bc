"""Search, the record page, and the forms that create and change records and alerts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from passerelle.domain.codec import read_details, read_markings, record_to_dict
from passerelle.domain.records import RecordKind, check_record_id
from passerelle.domain.users import Role
from passerelle.errors import PasserelleError, ReviewOverdue, ValidationFailed, VersionConflict
from passerelle.matching.text import name_tokens
from passerelle.ports import RecordQuery
from passerelle.web import record_forms
from passerelle.web.labels import original_script, record_label
from passerelle.web.page import Page, PageDep

router = APIRouter(include_in_schema=False)
RecordId = Annotated[str, Path(max_length=120, pattern=r"^[a-z][a-z0-9-]*--[0-9a-f-]{36}$")]
Text = Annotated[str, Query(max_length=200)]
PAGE_SIZE = 50
LINKED = 100  # records pointing at one shown on its page
PERSONAL_KINDS = frozenset({RecordKind.PERSON, RecordKind.DOCUMENT, RecordKind.ALERT})
SEARCHABLE = (RecordKind.PERSON, RecordKind.ORGANISATION, RecordKind.DOCUMENT,
              RecordKind.ALERT, RecordKind.EVENT, RecordKind.REPORT, RecordKind.INDICATOR)


def _row(record: Any) -> dict[str, Any]:
    return {"id": record.id, "kind": record.kind.value, "label": record_label(record),
            "original": original_script(record), "owner": record.owner_agency,
            "tlp": record.markings.tlp.value, "handling": record.markings.handling_code.value,
            "modified_at": record.modified_at}


@router.get("/search", response_class=HTMLResponse)
def search(page: PageDep, name: Text = "", document: Text = "", kind: Text = "",
           cursor: Annotated[str, Query(max_length=120)] = "", erased: int = 0
           ) -> HTMLResponse:
    """Records by name (any spelling or script) or document number. On the first page the
    records bearing the name as written come first, then those spelled otherwise."""
    page.require(Role.ANALYST, Role.REVIEWER, Role.RELEASER)
    kinds = frozenset({RecordKind(kind)}) if kind in {k.value for k in SEARCHABLE} \
        else frozenset()
    name, document = name.strip(), document.strip()
    rows: list[dict[str, Any]] = []
    next_cursor = None
    if name or document:
        caller = page.personal() if not kinds or kinds & PERSONAL_KINDS else page.caller()
        records = page.node.records
        exact: list[Any] = []
        if name and not cursor:
            exact = records.search(caller, RecordQuery(kinds=kinds, name=name,
                                                       document_number=document or None),
                                   None, PAGE_SIZE).records
        found = records.search(caller, RecordQuery(kinds=kinds, sounds_like=name or None,
                                                   document_number=document or None),
                               cursor or None, PAGE_SIZE)
        shown = {r.id for r in exact}
        rows = [{**_row(r), "exact": True} for r in exact] + [
            {**_row(r), "exact": not name or _bears(r, name)} for r in found.records
            if r.id not in shown]
        next_cursor = found.next_cursor
    return page.render("search.html", name=name, document=document, kind=kind,
                       kinds=[k.value for k in SEARCHABLE], rows=rows,
                       asked=bool(name or document), next_cursor=next_cursor,
                       erased=bool(erased))


def _bears(record: Any, name: str) -> bool:
    """Whether one of the record's names holds every word of ``name`` as written."""
    wanted = set(name_tokens(name))
    return any(wanted <= set(name_tokens(n)) for n in record.names)


@router.get("/records/new", response_class=HTMLResponse)
def new_record(page: PageDep, kind: Text = "person", subject: Text = "") -> HTMLResponse:
    """The empty form of a kind; ``subject`` fills in an alert's subject."""
    page.require(Role.ANALYST)
    record_kind = _editable(kind)
    values = record_forms.new_values(record_kind)
    if record_kind is RecordKind.ALERT:
        now = page.node.clock.now().replace(second=0, microsecond=0)
        values.update({"details.subject": subject,
                       "details.valid_from": now.strftime("%Y-%m-%dT%H:%M"),
                       "details.valid_until": (now + dt.timedelta(days=365)
                                               ).strftime("%Y-%m-%dT%H:%M")})
    return _form(page, record_kind, values, {})


def _editable(kind: str) -> RecordKind:
    for candidate in record_forms.EDITABLE:
        if candidate.value == kind:
            return candidate
    raise ValidationFailed("the pages create persons, documents, organisations and alerts",
                           field="kind")


def _form(page: Page, kind: RecordKind, values: dict[str, Any], errors: dict[str, str],
          record: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    partners = [a for a in page.node.accounts.agencies()
                if a.id != page.node.settings.agency_id]
    return page.render("record_form.html", status=status, kind=kind.value,
                       fields=record_forms.DETAILS[kind], marking_fields=record_forms.MARKINGS,
                       values=values, errors=errors, record=record, partners=partners,
                       kinds=[k.value for k in record_forms.EDITABLE])


def _many(form: FormData) -> dict[str, list[str]]:
    return {key: [str(v) for v in form.getlist(key)] for key in form}


def _save(page: Page, kind: RecordKind, form: FormData, record_id: str | None,
          version: int) -> Response:
    many = _many(form)
    try:
        markings_data, details_data = record_forms.read_form(kind, form, many)
        markings = read_markings(markings_data)
        details = read_details(kind, details_data)
        caller = page.caller()
        if record_id is None:
            saved = page.node.records.create(caller, markings, details)
        else:
            saved = page.node.records.update(caller, record_id, version, markings, details)
    except PasserelleError as error:
        if not isinstance(error, ValidationFailed | VersionConflict):
            raise
        where = record_forms.error_field(kind, error.field)
        shown = f"{page.t(error.title)}: {error.detail}" if not where else error.detail
        record = None
        if record_id is not None:
            record = {"id": record_id, "version": version}
        return _form(page, kind, record_forms.posted_values(kind, form, many),
                     {where: shown}, record, status=409 if isinstance(error, VersionConflict)
                     else 422)
    return RedirectResponse(f"/records/{saved.id}?saved=1", status_code=303)


@router.post("/records/new", response_model=None)
async def create_record(page: PageDep, kind: Text = "person") -> Response:
    """Create; errors come back at their fields."""
    page.require(Role.ANALYST)
    form = await page.form()
    return _save(page, _editable(kind), form, None, 0)


@router.get("/records/{record_id}", response_class=HTMLResponse)
def show_record(record_id: RecordId, page: PageDep, saved: int = 0,
                reviewed: int = 0) -> HTMLResponse:
    """One record: markings first, then details, references and versions. A record whose
    review is overdue is blocked: reviewers get the forms to review or erase it instead."""
    return _record_page(page, record_id, {}, saved=bool(saved), reviewed=bool(reviewed))


def _record_page(page: Page, record_id: str, errors: dict[str, str], status: int = 200,
                 saved: bool = False, reviewed: bool = False) -> HTMLResponse:
    kind = check_record_id(record_id)
    caller = page.personal() if kind in PERSONAL_KINDS else page.caller()
    try:
        versions = page.node.records.history(caller, record_id)
    except ReviewOverdue as overdue:
        if not page.has(Role.REVIEWER):
            raise
        return page.render("record_overdue.html", status=status, record_id=record_id,
                           kind=kind.value, detail=overdue.detail, errors=errors,
                           tomorrow=_tomorrow(page))
    record = versions[-1]
    data = record_to_dict(record)
    labels = {spec.name.partition(".")[2]: spec.label
              for spec in record_forms.DETAILS.get(kind, ())}
    history = [{"version": v.version, "modified_at": v.modified_at,
                "modified_by": v.modified_by, "changed": _changed(versions, i)}
               for i, v in enumerate(versions)]
    referring = [{"role": role, "id": r.id, "kind": r.kind.value, "label": record_label(r)}
                 for role, r in page.node.records.referring(caller, record_id, LINKED)]
    return page.render("record.html", status=status, record=data, label=record_label(record),
                       original=original_script(record), labels=labels,
                       references=record.links, referring=referring,
                       history=list(reversed(history)),
                       editable=kind in record_forms.EDITABLE and page.has(Role.ANALYST),
                       reviewer=page.has(Role.REVIEWER),
                       eraser=page.has(Role.ANALYST, Role.REVIEWER), tomorrow=_tomorrow(page),
                       saved=saved, reviewed=reviewed, errors=errors)


def _tomorrow(page: Page) -> str:
    return (page.node.clock.now().date() + dt.timedelta(days=1)).isoformat()


@router.post("/records/{record_id}/review", response_model=None)
async def review_record(record_id: RecordId, page: PageDep) -> Response:
    """A reviewer confirms the record is still needed until the next review date."""
    page.require(Role.REVIEWER)
    form = await page.form()
    text = str(form.get("review_date", "")).strip()
    try:
        try:
            next_review = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationFailed("a date, YYYY-MM-DD", field="review_date") from None
        page.node.records.review(page.personal(), record_id, next_review)
    except ValidationFailed as error:
        return _record_page(page, record_id, {"review_date": error.detail}, 422)
    return RedirectResponse(f"/records/{record_id}?reviewed=1", status_code=303)


@router.post("/records/{record_id}/erase", response_model=None)
async def erase_record(record_id: RecordId, page: PageDep) -> Response:
    """Erase every version (LED Art. 16), the stated purpose kept as the reason; partners
    holding the record are told."""
    page.require(Role.ANALYST, Role.REVIEWER)
    form = await page.form()
    if form.get("confirm") != "yes":
        return _record_page(page, record_id,
                            {"confirm": page.t("Tick the box to confirm the erasure.")}, 422)
    page.node.records.erase(page.personal(), record_id)
    return RedirectResponse("/search?erased=1", status_code=303)


def _changed(versions: list[Any], index: int) -> list[str]:
    """The fields a version changed from the one before."""
    if index == 0:
        return []
    before, after = record_to_dict(versions[index - 1]), record_to_dict(versions[index])
    return [f"{section}.{name}" for section in ("markings", "details")
            for name in after[section] if after[section][name] != before[section].get(name)]


@router.get("/records/{record_id}/edit", response_class=HTMLResponse)
def edit_record(record_id: RecordId, page: PageDep) -> HTMLResponse:
    """The record's form, filled in."""
    page.require(Role.ANALYST)
    kind = _editable(check_record_id(record_id).value)
    record = page.node.records.get(page.personal() if kind in PERSONAL_KINDS
                                   else page.caller(), record_id)
    data = record_to_dict(record)
    return _form(page, kind, record_forms.form_values(data), {},
                 {"id": record.id, "version": record.version})


@router.post("/records/{record_id}/edit", response_model=None)
async def update_record(record_id: RecordId, page: PageDep) -> Response:
    """A new version; a version saved meanwhile by someone else is reported, not overwritten."""
    page.require(Role.ANALYST)
    kind = _editable(check_record_id(record_id).value)
    form = await page.form()
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        raise ValidationFailed("the form lost the version it edits", field="version") from None
    return _save(page, kind, form, record_id, version)
