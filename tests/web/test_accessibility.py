"""Every main page run through axe-core, a real accessibility checker, in Chromium: no
violation of WCAG 2.0 and 2.1, levels A and AA (the wcag2a, wcag2aa, wcag21a and wcag21aa
rules), nor of axe's best practices, is allowed, whatever its impact; nor is a WCAG result axe
leaves for review.

axe-core is the npm package pinned by package.json and package-lock.json, installed into
node_modules/ by ``bash scripts/browser`` (which ``scripts/test`` runs first); nothing of it is
copied into the repository. The data the pages show is made here through the API: a person and
an alert on it at es, shared with be; be screens a list with that person twice; be's reviewer
confirms one candidate (the hit goes to es) and leaves the other in the queue. fr, which the
other browser tests count hits on, is not touched by this setup."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser_support import CASE, REASON, Site, shot, wait_for
from playwright.sync_api import Browser, BrowserContext, Page, expect

from passerelle.cli.local_federation import Federation

AXE = Path(__file__).parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
JUSTIFICATION = {"Passerelle-Justification": f"{CASE}: {REASON}"}
TRAVELLER = {"full_name": "Rania Belkacem", "date_of_birth": "1988-02-19", "nationality": ["DZ"]}


def installed_axe() -> Path:
    """axe-core's script; the test fails (never skips) when it is not installed."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed ({AXE} is missing): run `bash scripts/browser` "
                    "(it runs `npm ci`, which needs Node.js and npm)")
    return AXE


def axe_findings(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds in the page as it is now: the violations of the WCAG rule sets,
    their results axe could not decide ("needs review": a page of ours has none, so each is a
    defect, e.g. an aria-describedby naming an element that is not there), and the violations
    of axe's best practices (every piece of content in a landmark, heading order...)."""
    page.add_script_tag(path=str(installed_axe()))
    found: dict[str, list[dict[str, Any]]] = page.evaluate("""async rules => {
        const wcag = await axe.run(document, {runOnly: {type: 'tag', values: rules}});
        const practice = await axe.run(document,
                                       {runOnly: {type: 'tag', values: ['best-practice']}});
        return {violation: wcag.violations, 'needs review': wcag.incomplete,
                'best practice': practice.violations};
    }""", RULE_SETS)
    return [{**rule, "kind": kind} for kind, rules in found.items() for rule in rules]


def described(findings: list[dict[str, Any]]) -> str:
    lines = []
    for rule in findings:
        nodes = rule["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes[:3]]
        more = f" (+{len(nodes) - 3} more)" if len(nodes) > 3 else ""
        lines.append(f"- {rule['kind']} [{rule['impact']}] {rule['id']}: {rule['help']} "
                     f"at {targets}{more}")
    return "\n".join(lines)


def assert_accessible(page: Page, name: str) -> None:
    expect(page.locator("main h1")).to_be_visible()
    shot(page, f"a11y-{name}")
    findings = axe_findings(page)
    serious = [f for f in findings if f["impact"] in ("serious", "critical")]
    assert not findings, (
        f"{name} ({page.url}): {len(findings)} accessibility findings, {len(serious)} of them "
        f"serious or critical (axe-core; {', '.join(RULE_SETS)}, best-practice):\n"
        f"{described(findings)}")


@dataclass
class Story:
    """What the pages show: ids of the records, the screening job, a candidate and a hit."""

    person: str
    alert: str
    job: str
    candidate: str
    hit: str


@pytest.fixture(scope="module")
def es(federation: Federation, browser: Browser) -> Site:
    return Site(federation, "es", browser)


@pytest.fixture(scope="module")
def be(federation: Federation, browser: Browser) -> Site:
    return Site(federation, "be", browser)


def created(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code in (201, 202), answer.text
    return dict(answer.json())


def record_and_alert(es: Site) -> tuple[str, str]:
    shared = {"tlp": "AMBER", "releasable_to": ["be"]}
    with closing(es.api("amina.analyst")) as client:
        person = created(client.post("/api/v1/records", json={
            "kind": "person", "markings": shared,
            "details": {"subject_category": "suspect", "given_names": "Rania",
                        "family_name": "Belkacem", "names_original_script": ["رانيا بلقاسم"],
                        "date_of_birth": TRAVELLER["date_of_birth"],
                        "nationalities": TRAVELLER["nationality"]}}))
        alert = created(client.post("/api/v1/records", json={
            "kind": "alert", "markings": shared,
            "details": {"category": "discreet_check", "subject": person["id"],
                        "action": "Report the encounter; do not alert the person.",
                        "valid_from": "2026-01-01T00:00:00Z",
                        "valid_until": "2036-01-01T00:00:00Z"}}))
    return person["id"], alert["id"]


def screened_and_confirmed(be: Site, person_id: str, alert_id: str) -> tuple[str, str]:
    """be screens the person twice; one candidate is confirmed, the other stays pending:
    the screening job's id and the pending candidate's."""
    with closing(be.api("amina.analyst")) as analyst:
        def arrived() -> bool:
            return all(analyst.get(f"/api/v1/records/{record_id}",
                                   headers=JUSTIFICATION).status_code == 200
                       for record_id in (person_id, alert_id))
        wait_for("the person and the alert to reach be", arrived)
        job = created(analyst.post("/api/v1/screenings", headers=JUSTIFICATION, json={
            "name": "IB 3741 Madrid-Brussels",
            "travellers": [{"id": "PAX-1", **TRAVELLER}, {"id": "PAX-2", **TRAVELLER}]}))
    with closing(be.api("lucas.reviewer")) as reviewer:
        def ours() -> list[dict[str, Any]]:
            items = reviewer.get("/api/v1/candidates", headers=JUSTIFICATION).json()["items"]
            return [c for c in items if c["alert_id"] == alert_id]
        pending = wait_for("two candidates at be", lambda: len(ours()) == 2 and ours())
        created(reviewer.post(
            f"/api/v1/candidates/{pending[0]['id']}/confirm", headers=JUSTIFICATION, json={
                "justification": "Same name, date of birth and nationality.",
                "sighting": {"found_at": "2026-03-02T08:30:00Z",
                             "place": "Brussels airport, arrivals",
                             "reason_of_check": "passenger list screening, IB 3741",
                             "action_taken": "discreet check: documents seen"}}))
    return job["id"], pending[1]["id"]


@pytest.fixture(scope="module")
def story(es: Site, be: Site) -> Story:
    person, alert = record_and_alert(es)
    job, candidate = screened_and_confirmed(be, person, alert)
    with closing(es.api("amina.analyst")) as client:
        def received() -> list[dict[str, Any]]:
            items = client.get("/api/v1/hits", headers=JUSTIFICATION).json()["items"]
            return [h for h in items if h["alert_id"] == alert]
        [hit] = wait_for("the hit to reach es", received)
    return Story(person=person, alert=alert, job=job, candidate=candidate, hit=hit["id"])


@pytest.fixture
def signed_in(es: Site) -> Iterator[Callable[..., Page]]:
    """``signed_in(user, site=es)``: a signed-in page, closed after the test."""
    contexts: list[BrowserContext] = []

    def open_as(username: str, site: Site = es) -> Page:
        context, page = site.session(username)
        contexts.append(context)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_the_sign_in_page_and_its_refusal_are_accessible(es: Site) -> None:
    context = es.browser.new_context()
    page = context.new_page()
    page.goto(es.url + "/login")
    assert_accessible(page, "login")
    page.get_by_label("Username").fill("amina.analyst")
    page.get_by_label("Password").fill("not the password")
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.locator("#login-error")).to_be_visible()
    assert_accessible(page, "login-refused")
    context.close()


def test_the_purpose_page_and_its_errors_are_accessible(
        es: Site, signed_in: Callable[..., Page]) -> None:
    page = signed_in("amina.analyst")
    page.goto(es.url + "/search?name=Rania")
    expect(page.locator("main h1")).to_have_text("Purpose of consultation")
    assert_accessible(page, "purpose")
    page.locator("main").get_by_role("button", name="Continue").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "purpose-errors")


@pytest.mark.parametrize("username", ["amina.analyst", "lucas.reviewer"])
def test_the_dashboard_is_accessible(es: Site, story: Story, signed_in: Callable[..., Page],
                                     username: str) -> None:
    page = signed_in(username)
    assert_accessible(page, f"dashboard-{username}")
    es.open_personal(page, "/search")
    page.goto(es.url + "/")
    expect(page.locator("#hits-received")).not_to_have_text("0")
    assert_accessible(page, f"dashboard-{username}-with-purpose")


def test_the_french_dashboard_is_accessible(
        es: Site, story: Story, signed_in: Callable[..., Page]) -> None:
    page = signed_in("amina.analyst")
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main h1")).to_have_text("Tableau de bord")
    assert_accessible(page, "dashboard-fr")


def test_search_results_and_records_are_accessible(
        es: Site, story: Story, signed_in: Callable[..., Page]) -> None:
    page = signed_in("amina.analyst")
    es.open_personal(page, "/search?name=" + "رانيا")
    expect(page.locator("main table")).to_contain_text("Rania Belkacem")
    assert_accessible(page, "search-results")
    page.goto(es.url + f"/records/{story.person}")
    expect(page.locator("#referring")).to_contain_text("discreet check")
    assert_accessible(page, "record-person")
    page.goto(es.url + f"/records/{story.alert}")
    expect(page.locator("main h1")).to_contain_text("discreet check")
    assert_accessible(page, "record-alert")


@pytest.mark.parametrize("kind", ["person", "alert"])
def test_the_new_record_form_and_its_errors_are_accessible(
        es: Site, signed_in: Callable[..., Page], kind: str) -> None:
    page = signed_in("amina.analyst")
    page.goto(es.url + f"/records/new?kind={kind}")
    assert_accessible(page, f"new-{kind}")
    if kind == "person":
        page.get_by_label("Date of birth").fill("1991-13-45")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page, f"new-{kind}-errors")


def test_screening_pages_are_accessible(
        be: Site, story: Story, signed_in: Callable[..., Page]) -> None:
    page = signed_in("amina.analyst", site=be)
    be.open_personal(page, "/screening")
    assert_accessible(page, "screening-upload")
    page.get_by_role("button", name="Upload and screen").click()
    expect(page.locator("#e-list-name")).to_be_visible()
    assert_accessible(page, "screening-upload-errors")
    page.goto(be.url + f"/screening/{story.job}")
    expect(page.locator("#job-status")).to_have_text("done")
    assert_accessible(page, "screening-job")


def test_the_review_queue_and_a_candidate_are_accessible(
        be: Site, story: Story, signed_in: Callable[..., Page]) -> None:
    page = signed_in("lucas.reviewer", site=be)
    be.open_personal(page, "/review")
    expect(page.locator(f"#candidates a[href$='{story.candidate}']")).to_be_visible()
    assert_accessible(page, "review-queue")
    page.goto(be.url + f"/review/{story.candidate}")
    assert_accessible(page, "candidate")
    page.get_by_role("button", name="Confirm and report the hit").click()
    expect(page.locator("#e-confirm_justification")).to_be_visible()
    assert_accessible(page, "candidate-errors")


def test_the_hits_inbox_and_a_hit_are_accessible(
        es: Site, be: Site, story: Story, signed_in: Callable[..., Page]) -> None:
    page = signed_in("amina.analyst")
    es.open_personal(page, "/hits")
    expect(page.locator("#hits tbody tr[data-id]")).not_to_have_count(0)
    assert_accessible(page, "hits-received")
    page.goto(es.url + f"/hits/{story.hit}")
    expect(page.locator("main")).to_contain_text("Brussels airport")
    assert_accessible(page, "hit-received")
    sent = signed_in("amina.analyst", site=be)
    be.open_personal(sent, "/hits?direction=sent")
    expect(sent.locator("#hits tbody tr[data-id]")).not_to_have_count(0)
    assert_accessible(sent, "hits-sent")


def test_partners_and_tokens_are_accessible(
        es: Site, signed_in: Callable[..., Page]) -> None:
    page = signed_in("ines.releaser")
    page.goto(es.url + "/partners")
    expect(page.locator("table.partners tbody tr")).to_have_count(3)
    assert_accessible(page, "partners")
    page.goto(es.url + "/tokens")
    page.get_by_role("button", name="Issue the token").click()
    expect(page.locator("#e-name")).to_be_visible()
    assert_accessible(page, "tokens-errors")
    page.get_by_label("Name").fill("accessibility check")
    page.get_by_role("button", name="Issue the token").click()
    expect(page.locator("#token-secret")).to_be_visible()
    assert_accessible(page, "tokens")


def test_the_audit_pages_are_accessible(
        es: Site, signed_in: Callable[..., Page]) -> None:
    page = signed_in("pieter.auditor")
    page.goto(es.url + "/audit?actor=pieter.auditor")
    expect(page.locator("#audit-entries tbody tr").first).to_contain_text("login")
    assert_accessible(page, "audit")
    page.goto(es.url + "/audit/verify")
    expect(page.locator("#chain-result")).to_contain_text("The chain is intact")
    assert_accessible(page, "audit-verify")
    refused = page.goto(es.url + "/admin/users")
    assert refused is not None
    assert refused.status == 403
    assert_accessible(page, "not-allowed")


def test_the_users_pages_are_accessible(
        es: Site, signed_in: Callable[..., Page]) -> None:
    page = signed_in("admin")
    page.goto(es.url + "/admin/users")
    expect(page.locator("#users")).to_contain_text("amina.analyst")
    assert_accessible(page, "users")
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "users-errors")
    page.get_by_role("link", name="amina.analyst").click()
    expect(page).to_have_url(re.compile(r".*/admin/users/amina\.analyst$"))
    assert_accessible(page, "user")
