"""The pages without a browser: sign-in, the stated purpose, the form token, errors at their
fields, the languages and the limits of what a page accepts."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "api"))

from api_support import PASSWORD, MovableClock, template_database
from pages_support import csrf_of, login_token, sign_in, site_client, state_purpose

from passerelle.node import Node
from passerelle.services.caller import Caller
from passerelle.web import i18n, purpose
from passerelle.web.catalogue_fr import FRENCH
from passerelle.web.page import safe_target

WEB = Path(__file__).parents[2] / "src" / "passerelle" / "web"
TEXT = re.compile(r'''\bt\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')''')


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return template_database(tmp_path_factory.mktemp("web-template"))[0]


@pytest.fixture
def site(template: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Node]]:
    yield from site_client(template, tmp_path)


def test_every_page_text_has_its_french() -> None:
    from passerelle.web import record_forms

    texts = {m.group(1) or m.group(2) for f in WEB.rglob("*")
             if f.suffix in (".html", ".py") and f.name != "i18n.py"
             for m in TEXT.finditer(f.read_text())}
    for spec in (*record_forms.MARKINGS, *(s for v in record_forms.DETAILS.values() for s in v)):
        texts.update(t for t in (spec.label, spec.hint, *(o[1] for o in spec.options)) if t)
    words = {t for t in texts if re.search(r"[a-z]{2}", t)}  # codes (H2, TLP, B) read alike
    assert sorted(words - FRENCH.keys()) == []
    assert i18n.translator("fr")("{count} hits", count=3) == "3 concordances"


def test_the_language_follows_the_switch_then_the_browser() -> None:
    assert i18n.choose(None, "fr-BE,fr;q=0.9,en;q=0.8") == "fr"
    assert i18n.choose("en", "fr-BE") == "en"
    assert i18n.choose("xx", "de-DE, ar") == "en"


def test_a_page_without_a_session_leads_to_the_login_and_back(
        site: tuple[TestClient, Node]) -> None:
    client, _ = site
    answer = client.get("/hits?direction=sent")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/hits%3Fdirection%3Dsent"
    forged = client.post("/login", data={"username": "analyst.test", "password": PASSWORD,
                                         "next": "/hits"})
    assert forged.status_code == 403  # no form token: a login posted from another site
    assert "passerelle_session" not in forged.headers.get("set-cookie", "")
    wrong = client.post("/login", data={"username": "analyst.test", "password": "nope",
                                        "next": "/hits", "login_token": login_token(client)})
    assert wrong.status_code == 401
    assert "Wrong username or password" in wrong.text
    assert "passerelle_session" not in wrong.headers.get("set-cookie", "")
    sign_in(client, "analyst")
    assert client.get("/").status_code == 200


def test_personal_pages_ask_for_the_purpose_which_is_checked_at_its_fields(
        site: tuple[TestClient, Node]) -> None:
    client, _ = site
    sign_in(client, "analyst")
    answer = client.get("/search?name=Yusuf")
    assert answer.headers["location"] == "/purpose?next=/search%3Fname%3DYusuf"
    refused = client.post("/purpose", data={"case": "", "reason": "x", "next": "/search",
                                            "csrf": csrf_of(client)})
    assert refused.status_code == 422
    assert 'id="e-case"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    state_purpose(client)
    page = client.get("/search?name=Yusuf")
    assert page.status_code == 200
    assert "2026/117" in page.text  # the purpose bar


def test_a_purpose_sealed_for_one_user_is_worthless_to_another() -> None:
    signer = purpose.PurposeSigner("k" * 40)
    sealed = signer.seal("user-1", purpose.Purpose("2026/117", "checking a namesake"))
    assert signer.open("user-1", sealed) == purpose.Purpose("2026/117", "checking a namesake")
    assert signer.open("user-2", sealed) is None
    assert signer.open("user-1", sealed[:-2] + "AA") is None
    assert purpose.PurposeSigner("j" * 40).open("user-1", sealed) is None


def test_a_form_without_its_token_is_refused(site: tuple[TestClient, Node]) -> None:
    client, _ = site
    sign_in(client, "analyst")
    for token in ("", "forged"):
        answer = client.post("/purpose", data={"case": "a", "reason": "long enough",
                                               "csrf": token})
        assert answer.status_code == 403
        assert "came from elsewhere" in answer.text
        assert answer.headers["content-type"].startswith("text/html")


def test_pages_take_forms_only_and_the_api_keeps_its_problems(
        site: tuple[TestClient, Node]) -> None:
    client, _ = site
    sign_in(client, "analyst")
    json_post = client.post("/purpose", json={"case": "a"})
    assert json_post.status_code == 415
    assert client.get("/no/such/page").status_code == 404
    assert "Not found" in client.get("/no/such/page").text
    api = client.get("/api/v1/records/person--00000000-0000-4000-8000-000000000000")
    assert api.headers["content-type"] == "application/problem+json"


def test_a_record_form_shows_the_codec_error_at_its_field(
        site: tuple[TestClient, Node]) -> None:
    client, _ = site
    sign_in(client, "analyst")
    form = {"csrf": csrf_of(client), "details.subject_category": "suspect",
            "details.family_name": "Benali", "details.nationalities": "Morocco",
            "markings.tlp": "AMBER", "markings.handling_code": "H0"}
    answer = client.post("/records/new?kind=person", data=form)
    assert answer.status_code == 422
    assert 'id="e-f-details-nationalities"' in answer.text
    assert 'value="Benali"' in answer.text  # what was typed is kept
    form["details.nationalities"] = "MA"
    saved = client.post("/records/new?kind=person", data=form)
    assert saved.status_code == 303
    assert saved.headers["location"].startswith("/records/person--")


def test_roles_decide_which_pages_open(site: tuple[TestClient, Node]) -> None:
    client, _ = site
    sign_in(client, "auditor")
    assert client.get("/audit").status_code == 200
    assert client.get("/admin/users").status_code == 403
    assert client.get("/records/new").status_code == 403
    page = client.get("/")
    assert 'href="/audit"' in page.text
    assert 'href="/admin/users"' not in page.text


def test_only_local_paths_are_followed_after_a_form() -> None:
    assert safe_target("/hits?direction=sent") == "/hits?direction=sent"
    for outside in ("//evil.example/", "https://evil.example/", "/\\evil.example", None, ""):
        assert safe_target(outside) == "/"


def _person(client: TestClient, family: str, arabic: str = "", given: str = "Yusuf") -> str:
    form = {"csrf": csrf_of(client), "details.subject_category": "witness",
            "details.given_names": given, "details.family_name": family,
            "details.names_original_script": arabic, "markings.tlp": "AMBER",
            "markings.handling_code": "H0"}
    answer = client.post("/records/new?kind=person", data=form)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"]).split("/records/")[1].split("?")[0]


def test_search_shows_the_name_as_written_before_other_spellings(
        site: tuple[TestClient, Node]) -> None:
    client, _ = site
    sign_in(client, "analyst")
    state_purpose(client)
    other = _person(client, "Benali")
    _person(client, "Benali", arabic="يوسف بن علي", given="Youssef")
    page = client.get("/search?name=Youssef Benali").text
    rows = re.findall(r'<a href="/records/(person--[0-9a-f-]+)">(.*?)</a>(.*?)</td>', page)
    assert [label for _, label, _ in rows] == ["<bdi>Youssef Benali</bdi>",
                                               "<bdi>Yusuf Benali</bdi>"]
    assert "other spelling" not in rows[0][2]
    assert "other spelling" in rows[1][2]
    assert rows[1][0] == other
    arabic = client.get("/search?name=يوسف بن علي").text
    assert arabic.count('href="/records/person--') == 2


def test_an_edit_crossing_another_saved_meanwhile_is_refused_not_merged(
        site: tuple[TestClient, Node]) -> None:
    client, _ = site
    sign_in(client, "analyst")
    state_purpose(client)
    record_id = _person(client, "Amrani")
    form = client.get(f"/records/{record_id}/edit").text
    assert 'name="version" value="1"' in form
    first = {"csrf": csrf_of(client), "version": "1", "details.subject_category": "witness",
             "details.given_names": "Yusuf", "details.family_name": "El Amrani",
             "markings.tlp": "AMBER"}
    assert client.post(f"/records/{record_id}/edit", data=first).status_code == 303
    stale = {**first, "details.family_name": "Amrany"}
    refused = client.post(f"/records/{record_id}/edit", data=stale)
    assert refused.status_code == 409
    assert 'value="Amrany"' in refused.text  # kept for the user to redo
    page = client.get(f"/records/{record_id}").text
    assert "El Amrani" in page
    assert "Amrany" not in page


def test_a_reviewer_reviews_an_overdue_record_that_nobody_may_read_until_then(
        site: tuple[TestClient, Node]) -> None:
    client, node = site
    sign_in(client, "analyst")
    state_purpose(client)
    record_id = _person(client, "Oufkir")
    due = node.records.get(Caller(node.accounts.session_user(_user_id(node, "analyst.test")),
                                  "page tests"), record_id).markings.review_date
    assert due is not None
    clock = node.clock
    assert isinstance(clock, MovableClock)
    clock.at += dt.timedelta(days=(due - clock.at.date()).days + 1)
    sign_in(client, "analyst")  # the session ended meanwhile
    state_purpose(client)
    blocked = client.get(f"/records/{record_id}")
    assert blocked.status_code == 403
    assert "review" in blocked.text
    client.post("/logout", data={"csrf": csrf_of(client)})
    sign_in(client, "reviewer")
    state_purpose(client)
    page = client.get(f"/records/{record_id}")
    assert page.status_code == 200
    assert "Review overdue" in page.text
    assert "Oufkir" not in page.text  # still not consulted
    token = csrf_of(client, f"/records/{record_id}")
    refused = client.post(f"/records/{record_id}/review",
                          data={"csrf": token, "review_date": "yesterday"})
    assert refused.status_code == 422
    assert 'id="e-review_date"' in refused.text
    next_review = (node.clock.now().date() + dt.timedelta(days=200)).isoformat()
    done = client.post(f"/records/{record_id}/review",
                       data={"csrf": token, "review_date": next_review})
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert "Oufkir" in shown
    assert f"next review on {next_review}" in shown


def test_an_erasure_needs_its_box_ticked_then_the_record_is_gone(
        site: tuple[TestClient, Node]) -> None:
    client, _ = site
    sign_in(client, "analyst")
    state_purpose(client)
    record_id = _person(client, "Tahiri")
    token = csrf_of(client, f"/records/{record_id}")
    unconfirmed = client.post(f"/records/{record_id}/erase", data={"csrf": token})
    assert unconfirmed.status_code == 422
    assert 'id="e-confirm"' in unconfirmed.text
    assert client.get(f"/records/{record_id}").status_code == 200
    erased = client.post(f"/records/{record_id}/erase", data={"csrf": token, "confirm": "yes"})
    assert erased.status_code == 303
    assert "is erased" in client.get(erased.headers["location"]).text
    assert client.get(f"/records/{record_id}").status_code == 404


def _user_id(node: Node, username: str) -> str:
    return next(u.id for u in node.accounts.list_users(None) if u.username == username)
