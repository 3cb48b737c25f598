"""Two phones at one table: one writes an idea, the other sees it appear without a reload."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Round
from app.models.base import utcnow

pytestmark = pytest.mark.browser

SEND = {"de": "Idee abschicken", "ar": "أرسل الفكرة"}
JOIN = {"de": "Mitmachen", "ar": "شارك"}
SAVED = {"de": "Ihre Idee ist gespeichert", "ar": "تم حفظ فكرتك"}
IDEA = {"de": "Ein Sprachcafé in der Stadtbücherei, jeden Donnerstag", "ar": "مقهى لغة في المكتبة كل خميس"}


def start_first_round(app, event):
    with app.app_context():
        round_ = db.session.get(Round, event.round_ids[0])
        round_.state, round_.started_at = "running", utcnow()
        round_.ends_at = round_.started_at + timedelta(minutes=20)
        db.session.commit()


@pytest.mark.parametrize("language", ["de", "ar"])
def test_idea_from_one_phone_appears_on_the_other(app, make, phones, language):
    event = make.event(tables=2, rounds=1, languages=("de", "ar"))
    start_first_round(app, event)
    writer, reader = phones(language), phones(language)
    for phone in (writer, reader):
        page = phone.open(f"/j/{event.code.lower()}/1")
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        page.get_by_role("button", name=JOIN[language]).first.click()
        page.wait_for_url(f"**/e/{event.code}")

    reader.page.wait_for_timeout(300)  # the reader's page is loaded and polling
    writer.page.fill("#text", IDEA[language])
    writer.page.get_by_role("button", name=SEND[language]).click()
    writer.page.get_by_text(SAVED[language]).wait_for(timeout=10_000)

    # No reload on the reader's phone: the poll finds the new revision and swaps the list in.
    reader.page.locator("#table-ideas").get_by_text(IDEA[language]).wait_for(timeout=15_000)
    assert reader.page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert reader.page.locator("html").get_attribute("lang") == language

    # Each phone lists its own ideas first: the shared list comes in the order ideas arrived, and
    # the script moves the phone's own to the top.
    reader.page.fill("#text", "Noch eine Idee vom Nachbarn")
    reader.page.get_by_role("button", name=SEND[language]).click()
    writer.page.locator("#table-ideas").get_by_text("Noch eine Idee vom Nachbarn").wait_for(timeout=15_000)
    writer.page.fill("#text", "Zweite Idee vom Schreiber")
    writer.page.get_by_role("button", name=SEND[language]).click()
    reader.page.locator("#table-ideas").get_by_text("Zweite Idee vom Schreiber").wait_for(timeout=15_000)
    reader.page.wait_for_function("() => document.querySelector('#ideas > li').classList.contains('idea-own')")
    assert "Noch eine Idee vom Nachbarn" in reader.page.locator("#ideas > li").first.inner_text()
    writer.page.get_by_text(SAVED[language]).wait_for(timeout=10_000)
    assert [IDEA[language] in text or "Zweite Idee" in text for text in writer.page.locator("#ideas > li").all_inner_texts()][:2] == [True, True]

    # An empty send right after: the error alone, not beside the earlier "saved".
    writer.page.get_by_role("button", name=SEND[language]).click()
    writer.page.locator("#text-error").wait_for(timeout=5_000)
    assert writer.page.locator(".outbox-status").text_content() == ""
    assert writer.page.locator("#text").get_attribute("aria-invalid") == "true"

    # Nothing but this app was asked for anything.
    assert writer.foreign_requests() == [] and reader.foreign_requests() == []
    assert any("/live" in url for url in reader.requests)


def test_an_idea_typed_offline_is_sent_when_the_connection_returns(app, make, phones):
    event = make.event(tables=1, rounds=1)
    start_first_round(app, event)
    phone = phones("de")
    page = phone.open(f"/j/{event.code}/1")
    page.get_by_role("button", name="Mitmachen").first.click()
    page.wait_for_url(f"**/e/{event.code}")

    phone.context.set_offline(True)
    page.fill("#text", "Geschrieben im Funkloch")
    page.get_by_role("button", name="Idee abschicken").click()
    page.get_by_text("Keine Verbindung").wait_for(timeout=10_000)
    assert "Geschrieben im Funkloch" in page.locator("#outbox").inner_text()

    phone.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#table-ideas").get_by_text("Geschrieben im Funkloch").wait_for(timeout=15_000)
    assert page.locator("#outbox li").count() == 0
