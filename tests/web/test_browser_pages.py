"""The other pages in a real browser: the auditor verifies the chain, the administrator
manages accounts and tokens, partners' status, French with Arabic names kept in their own
direction, and keyboard use. Screenshots of each page go to the test output."""

from __future__ import annotations

import re

from browser_support import Site, shot
from playwright.sync_api import expect


def test_an_auditor_searches_the_log_by_user_and_verifies_the_chain(fr: Site) -> None:
    context, page = fr.session("pieter.auditor")
    refused = page.goto(fr.url + "/admin/users")
    assert refused is not None
    assert refused.status == 403
    expect(page.locator("main h1")).to_have_text("Not allowed")
    shot(page, "not-allowed")
    page.get_by_role("link", name="Back to the dashboard").click()
    page.get_by_role("link", name="Audit").click()
    page.get_by_label("User").fill("nobody.here")
    page.locator("main").get_by_role("button", name="Search").click()
    expect(page.locator("#e-actor")).to_contain_text("no user signs in as")
    page.get_by_label("User").fill("pieter.auditor")
    page.locator("main").get_by_role("button", name="Search").click()
    expect(page.locator("#audit-entries tbody tr").first).to_contain_text("login")
    expect(page.get_by_role("link", name="Export these entries (NDJSON)")).to_have_attribute(
        "href", re.compile(r"^/api/v1/audit/export\?actor=user%3A"))
    shot(page, "audit")
    page.get_by_role("link", name="Verify the chain").click()
    expect(page.locator("#chain-result")).to_contain_text("The chain is intact")
    shot(page, "audit-verify")
    # The export is the API's, reached with the same session.
    export = page.request.get(fr.url + "/api/v1/audit/export?action=login")
    assert export.ok
    assert b'"action":"login"' in export.body()
    context.close()


def test_an_administrator_creates_an_account_and_a_user_issues_a_token(fr: Site) -> None:
    context, page = fr.session("admin")
    page.get_by_role("link", name="Users").click()
    expect(page.locator("#users")).to_contain_text("amina.analyst")
    page.get_by_label("Username").fill("Bad Name")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#error-summary")).to_contain_text("give the account at least one role")
    page.get_by_label("analyst", exact=True).check()
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#e-password")).to_contain_text("at least 12 characters")
    expect(page.get_by_label("analyst", exact=True)).to_be_checked()
    page.get_by_label("Password").fill("a long passphrase for the browser test")
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator("#e-username")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
    shot(page, "users-errors")
    page.get_by_label("Username").fill("nadia.analyst")
    page.get_by_label("Password").fill("a long passphrase for the browser test")
    page.get_by_label("analyst", exact=True).check()
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator(".flash")).to_contain_text("nadia.analyst")
    shot(page, "users")
    page.get_by_role("link", name="nadia.analyst").click()
    page.get_by_label("Active (unticked: the account is disabled and its sessions end)").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Saved.")
    shot(page, "user")
    page.get_by_role("link", name="My tokens").click()
    page.get_by_role("button", name="Issue the token").click()
    expect(page.locator("#e-name")).to_contain_text("1-100 characters")
    page.get_by_label("Name").fill("MISP sync")
    page.get_by_label("Valid for (days)").fill("30")
    page.get_by_role("button", name="Issue the token").click()
    secret = page.locator("#token-secret").inner_text()
    assert secret.startswith("psl_")
    shot(page, "tokens")
    assert page.request.get(fr.url + "/api/v1/health",
                            headers={"Authorization": f"Bearer {secret}"}).ok
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator("#tokens")).to_contain_text("revoked")
    context.close()


def test_partners_show_contact_outbox_and_legal_basis(fr: Site) -> None:
    context, page = fr.session("ines.releaser")
    page.get_by_role("link", name="Partners").click()
    rows = page.locator("table.partners tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="ma")).to_contain_text("agreement")
    expect(rows.filter(has_text="es")).to_contain_text("eu directive")
    shot(page, "partners")
    context.close()


def test_french_pages_keep_arabic_names_in_their_own_direction(fr: Site) -> None:
    client = fr.api("amina.analyst")
    created = client.post("/api/v1/records", json={
        "kind": "person", "markings": {"tlp": "AMBER"},
        "details": {"subject_category": "witness", "given_names": "Karima",
                    "family_name": "Haddaoui", "names_original_script": ["كريمة الحداوي"]}})
    client.close()
    assert created.status_code == 201, created.text
    context, page = fr.session("amina.analyst")
    page.get_by_role("link", name="Français").click()
    expect(page.get_by_role("link", name="Tableau de bord")).to_be_visible()
    shot(page, "dashboard-fr")
    page.goto(fr.url + "/search?name=" + "كريمة")
    expect(page.locator("main h1")).to_have_text("Finalité de la consultation")
    page.get_by_label("Référence de l'affaire").fill("2026/611")
    page.get_by_label("Motif").fill("vérification d'homonymes")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("table")).to_contain_text("Karima Haddaoui")
    arabic = page.locator("table bdi", has_text="كريمة").first
    expect(arabic).to_be_visible()
    assert arabic.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    shot(page, "search-fr")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    context.close()


def test_every_field_is_labelled_and_the_keyboard_reaches_the_content(fr: Site) -> None:
    context, page = fr.session("amina.analyst")
    for path in ("/records/new?kind=person", "/records/new?kind=alert", "/search",
                 "/screening", "/tokens"):
        fr.open_personal(page, path)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll(
            'main input:not([type=hidden]), main select, main textarea')]
            .filter(e => e.labels.length === 0).map(e => e.name)""")
        assert unlabelled == [], f"{path}: {unlabelled}"
    page.goto(fr.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, "the dashboard scrolls sideways at 1280 px"
    context.close()
