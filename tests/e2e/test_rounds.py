"""A moderator runs three rounds from the console while two phones and the projector follow; an
accidental "next round" is undone with everyone back in the round before."""
import re

import pytest

from app.extensions import db
from app.models import Event

pytestmark = pytest.mark.browser

TEXT = {
    "de": {"join": "Mitmachen", "start": "Runde starten", "pause": "Pause", "resume": "Fortsetzen",
           "extend": "Verlängern (Minuten)", "close": "Runde beenden", "next": "Nächste Runde",
           "soon": "beginnt gleich", "paused": "Die Runde ist unterbrochen", "over": "Die Veranstaltung ist beendet",
           "thanks": "Danke fürs Mitmachen", "sure": "Runde 2 beenden und Runde 3 starten?",
           "undo": "Rückgängig machen"},
    "ar": {"join": "شارك", "start": "ابدأ الجولة", "pause": "استراحة", "resume": "استئناف",
           "extend": "تمديد (بالدقائق)", "close": "إنهاء الجولة", "next": "ابدأ الجولة التالية",
           "soon": "تبدأ قريبًا", "paused": "الجولة متوقفة مؤقتًا", "over": "انتهت الفعالية",
           "thanks": "شكرًا لمشاركتكم", "sure": "إنهاء الجولة 2 وبدء الجولة 3؟", "undo": "تراجع"},
}
QUESTIONS = [{"de": f"Frage {n} auf Deutsch", "ar": f"السؤال رقم {n}"} for n in (1, 2, 3)]


def minutes_shown(page, selector):
    text = page.locator(selector).first.inner_text()
    return int(re.search(r"(\d+):\d\d", text).group(1))


@pytest.mark.parametrize("language", ["de", "ar"])
def test_moderator_runs_three_rounds_and_everyone_follows(app, make, phones, language):
    t = TEXT[language]
    event = make.event(tables=2, rounds=3, languages=("de", "ar"))
    with app.app_context():
        row = db.session.get(Event, event.id)
        for round_, question in zip(row.rounds, QUESTIONS):
            round_.question = question
        row.rotation_enabled = False  # round control is the subject here; tests/e2e/test_rotation.py moves people
        db.session.commit()
    moderator_user = make.user("moderation@example.org", roles=[(event.process_id, "moderator")])

    moderator, projector = phones(language), phones(language)
    console = moderator.open("/auth/login")
    console.fill("#email", moderator_user.email)
    console.fill("#password", moderator_user.password)
    console.locator("form button[type=submit]").last.click()
    console.wait_for_url("**/organise/")
    console.goto(f"{moderator.base_url}/moderate/events/{event.id}")

    guests = [phones(language), phones(language)]
    for number, guest in enumerate(guests, start=1):
        page = guest.open(f"/j/{event.code}/{number}")
        page.get_by_role("button", name=t["join"]).first.click()
        page.wait_for_url(f"**/e/{event.code}")
        page.get_by_text(t["soon"]).wait_for()
        assert page.locator("#idea-form").is_hidden()

    screen = projector.open(f"/moderate/events/{event.id}/projector")
    assert "/auth/login" in screen.url  # the projector laptop has no login ...
    with app.app_context():
        token = db.session.get(Event, event.id).projector_token
    screen.goto(f"{projector.base_url}/p/{token}")  # ... so it opens the read-only link

    def everyone_sees(text):
        for page in [g.page for g in guests] + [screen]:
            page.get_by_text(text).first.wait_for(timeout=10_000)

    everyone_sees(QUESTIONS[0][language])

    def click(label):
        console.get_by_role("button", name=label).first.click()
        console.wait_for_load_state()

    def click_and_confirm(label, question=None):
        """Ending a round with time left asks first, on a page of its own."""
        click(label)
        if question:
            console.get_by_role("heading", name=question).wait_for()
        console.locator(".confirm-panel button[type=submit]").click()
        console.wait_for_load_state()

    click(t["start"])
    for guest in guests:
        guest.page.locator("#idea-form").wait_for(state="visible", timeout=10_000)
    screen.locator(".projector-countdown time").wait_for(timeout=10_000)

    click(t["pause"])
    for guest in guests:
        guest.page.get_by_text(t["paused"]).wait_for(timeout=10_000)
    screen.locator(".projector-paused").wait_for(timeout=10_000)

    click(t["resume"])
    before = minutes_shown(screen, ".projector-countdown")
    console.fill("input[name=minutes]", "10")
    click(t["extend"])
    screen.wait_for_function(
        "min => parseInt(document.querySelector('.projector-countdown time').textContent) >= min",
        arg=before + 9, timeout=10_000)

    guests[0].page.fill("#text", "Ein Sprachcafé" if language == "de" else "مقهى لغة")
    guests[0].page.locator("#idea-form button[type=submit]").click()
    guests[0].page.locator("#table-ideas li.idea").first.wait_for(timeout=10_000)

    click_and_confirm(t["close"])
    everyone_sees(QUESTIONS[1][language])  # round 2 is next, and shown as coming
    for guest in guests:
        guest.page.get_by_text(t["soon"]).wait_for(timeout=10_000)

    click(t["start"])  # round 2
    for guest in guests:
        guest.page.locator("#idea-form").wait_for(state="visible", timeout=10_000)
    click_and_confirm(t["next"], t["sure"])  # closes round 2, starts round 3: by mistake
    everyone_sees(QUESTIONS[2][language])
    click(t["undo"])  # round 2 runs again, round 3 is planned
    for guest in guests:
        guest.page.locator("#idea-form").wait_for(state="visible", timeout=10_000)
        guest.page.get_by_text(QUESTIONS[1][language]).first.wait_for(timeout=10_000)
    screen.get_by_text(QUESTIONS[1][language]).first.wait_for(timeout=10_000)
    click_and_confirm(t["next"], t["sure"])
    everyone_sees(QUESTIONS[2][language])
    click_and_confirm(t["close"])
    for guest in guests:
        guest.page.get_by_text(t["over"]).wait_for(timeout=10_000)
    screen.get_by_text(t["thanks"]).wait_for(timeout=10_000)

    # No phone reloaded, and nothing was asked of another host.
    for guest in guests:
        assert guest.page.evaluate("performance.getEntriesByType('navigation').length") == 1
        assert guest.foreign_requests() == []
    assert screen.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
