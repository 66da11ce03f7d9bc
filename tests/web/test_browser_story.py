"""The alert story in a real browser, across two nodes of a local federation: a French analyst
records a person and raises a discreet-check alert; Morocco uploads a passenger list and
watches it being screened; a Moroccan reviewer confirms the candidate; the hit appears in
France's inbox without a reload, and France acknowledges it. Forms refuse bad input at the
fields. Every page is kept as a screenshot under the test output."""

from __future__ import annotations

import re

from browser_support import VIEWPORT, Site, shot, state_purpose, wait_for
from playwright.sync_api import Page, expect

GIVEN = ("Lina", "Omar", "Sara", "Karim", "Nadia", "Hugo", "Inès", "Mehdi", "Chloé", "Samir",
         "Aya", "Lucas", "Yasmine", "Pablo", "Zineb", "Elif", "Thomas", "Salma", "Bilal", "Marta")
FAMILY = ("Benali", "Dupont", "García", "Haddad", "Janssens", "Moreau", "Ouali", "Peeters",
          "Romero", "Tazi", "Vermeulen", "Zeroual", "Lefèvre", "Naciri", "Ortega", "Claes")
TARGET_ROW = "PAX-0137,يوسف الإدريسي,1991-07-04,MA"


def passenger_list(count: int = 300) -> bytes:
    """Fictional passengers, with the alert's subject in Arabic script, day and month of
    birth swapped, as the 138th row."""
    rows = ["id,full_name,date_of_birth,nationality"]
    for i in range(count):
        if i == 137:
            rows.append(TARGET_ROW)
            continue
        name = f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i * 7) % len(FAMILY)]}"
        rows.append(f"PAX-{i:04d},{name},{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d},"
                    f"{('FR', 'ES', 'BE', 'MA')[i % 4]}")
    return ("\n".join(rows) + "\n").encode()


def create_person(fr: Site, page: Page) -> str:
    page.goto(fr.url + "/records/new?kind=person")
    shot(page, "record-form-person")
    page.get_by_label("Data subject category").select_option("suspect")
    page.get_by_label("Given names").fill("Youssef")
    page.get_by_label("Family name").fill("El Idrissi")
    page.get_by_label("Names in original script").fill("يوسف الإدريسي")
    page.get_by_label("Date of birth").fill("1991-13-45")
    page.get_by_label("Nationalities").fill("MA, FR")
    page.locator("input[name='markings.releasable_to'][value='ma']").check()
    page.get_by_role("button", name="Create").click()
    # Refused at the field, with what was typed kept.
    error = page.locator("#e-f-details-date_of_birth")
    expect(error).to_be_visible()
    expect(page.locator("#f-details-date_of_birth")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Family name")).to_have_value("El Idrissi")
    expect(page.locator("#error-summary")).to_be_focused()
    shot(page, "record-form-errors")
    page.get_by_label("Date of birth").fill("1991-04-07")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("main h1")).to_have_text("Purpose of consultation")
    shot(page, "purpose")
    state_purpose(page)  # the record page shows personal data
    expect(page.locator("main h1")).to_contain_text("Youssef El Idrissi")
    expect(page.locator(".markings")).to_contain_text("TLP:AMBER")
    shot(page, "record")
    return page.url.split("/records/")[1].split("?")[0]


def raise_alert(fr: Site, page: Page, person_id: str) -> str:
    page.get_by_role("link", name="Raise an alert").click()
    expect(page.get_by_label("Subject")).to_have_value(person_id)
    page.get_by_label("Alert category").select_option("discreet_check")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("#e-f-details-action")).to_be_visible()  # the action is required
    page.get_by_label("Action to take").fill(
        "Record the route and the companions; do not alert the person.")
    page.locator("input[name='markings.releasable_to'][value='ma']").check()
    shot(page, "alert-form")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("main h1")).to_contain_text("discreet check")
    shot(page, "alert")
    page.get_by_role("link", name=person_id).first.click()
    expect(page.locator("#referring")).to_contain_text("discreet check")
    expect(page.locator("#referring")).to_contain_text("this record is its subject")
    shot(page, "record-with-alert")
    return page.url.split("/records/")[1].split("?")[0]


def test_an_alert_raised_in_paris_is_hit_in_casablanca_and_reported_back_live(
        fr: Site, ma: Site) -> None:
    login_context = fr.browser.new_context(viewport=VIEWPORT)
    login = login_context.new_page()
    login.goto(fr.url + "/")
    shot(login, "login")
    login.get_by_label("Username").fill("amina.analyst")
    login.get_by_label("Password").fill("not the password")
    login.locator("main").get_by_role("button", name="Sign in").click()
    expect(login.locator("#login-error")).to_contain_text("Wrong username or password")
    expect(login.get_by_label("Username")).to_have_attribute("aria-invalid", "true")
    shot(login, "login-refused")
    login_context.close()
    fr_context, fr_page = fr.session("amina.analyst")
    shot(fr_page, "dashboard-before")
    person_id = create_person(fr, fr_page)
    alert_id = raise_alert(fr, fr_page, person_id)

    # France's analyst keeps the hits inbox open: the hit must arrive without a reload.
    fr_page.goto(fr.url + "/hits")
    expect(fr_page.locator("#hits")).to_contain_text("No hit yet.")
    fr_page.evaluate("window.__sameDocument = true")

    client = ma.api("amina.analyst")
    try:
        wait_for("the alert to reach ma", lambda: client.get(
            f"/api/v1/records/{alert_id}",
            headers={"Passerelle-Justification": "browser test"}).status_code == 200)
    finally:
        client.close()

    ma_context, ma_page = ma.session("amina.analyst")
    ma.open_personal(ma_page, "/screening")
    ma_page.get_by_role("button", name="Upload and screen").click()
    expect(ma_page.locator("#e-list-name")).to_be_visible()  # nothing chosen: refused here
    ma_page.get_by_label("List name").fill("AT 0981 Paris-Casablanca 2026-12-06")
    ma_page.get_by_label("List (CSV)").set_input_files(
        files=[{"name": "at0981.csv", "mimeType": "text/csv", "buffer": passenger_list()}])
    shot(ma_page, "screening-upload")
    ma_page.get_by_role("button", name="Upload and screen").click()
    expect(ma_page).to_have_url(re.compile(r".*/screening/screening--"))
    expect(ma_page.locator("#job-total")).to_have_text("300")
    expect(ma_page.locator("#job-status")).to_have_text("done", timeout=60_000)
    expect(ma_page.locator("#job-done")).to_have_text("300")
    expect(ma_page.locator("#job-bar")).to_have_attribute("value", "300")
    assert int(ma_page.locator("#job-candidates").inner_text()) >= 1
    shot(ma_page, "screening-job")

    review_context, reviewer = ma.session("lucas.reviewer")
    ma.open_personal(reviewer, "/review")
    shot(reviewer, "review-queue")
    reviewer.locator("#candidates a", has_text="يوسف").first.click()
    expect(reviewer.locator("main")).to_contain_text("covert check")
    expect(reviewer.locator("#h-subject + p")).to_contain_text("Youssef El Idrissi")
    evidence = reviewer.locator(".evidence bdi").first  # an English sentence quoting Arabic
    assert evidence.evaluate("e => getComputedStyle(e).direction") == "ltr"
    shot(reviewer, "candidate")
    reviewer.get_by_role("button", name="Confirm and report the hit").click()
    expect(reviewer.locator("#e-confirm_justification")).to_be_visible()
    shot(reviewer, "candidate-errors")
    reviewer.get_by_label("Justification").first.fill(
        "Same name in Arabic script, day and month of birth swapped, same nationality.")
    reviewer.get_by_label("Place").fill("Casablanca Mohammed V airport, arrivals")
    reviewer.get_by_label("Reason of the check").fill("passenger list screening, AT 0981")
    reviewer.get_by_label("Action taken").fill("discreet check: documents seen, not detained")
    reviewer.get_by_role("button", name="Confirm and report the hit").click()
    expect(reviewer.locator(".flash")).to_contain_text("on its way to fr")
    shot(reviewer, "hit-sent")

    # France: the row appears in the open inbox, pushed by the event stream.
    expect(fr_page.locator("#hits tbody tr[data-id]")).to_have_count(1, timeout=30_000)
    assert fr_page.evaluate("window.__sameDocument") is True
    expect(fr_page.locator("#live-notice")).to_contain_text("hit report")
    expect(fr_page.locator("[data-live-count='hit']")).to_have_text("1")
    shot(fr_page, "hits-inbox")
    fr_page.goto(fr.url + "/")
    expect(fr_page.locator("#hits-received")).to_have_text("1")
    shot(fr_page, "dashboard")
    fr_page.goto(fr.url + "/hits")
    fr_page.locator("#hits tbody a").first.click()
    expect(fr_page.locator("main")).to_contain_text("Casablanca Mohammed V airport")
    fr_page.get_by_label("Message (optional)").fill("Received; our liaison officer calls you.")
    fr_page.get_by_role("button", name="Acknowledge the hit").click()
    expect(fr_page.locator("#messages")).to_contain_text("acknowledgement")
    shot(fr_page, "hit-received")
    for context in (fr_context, ma_context, review_context):
        context.close()
