"""When the next round starts, a phone whose table changed shows where to go, with no tap and no reload;
when the moderator undoes it, the phone is back at its table of the round before."""
import pytest

from app.extensions import db
from app.models import Event
from app.services.cafe import rounds, undo

pytestmark = pytest.mark.browser


def control(app, event_id, action):
    with app.app_context():
        event = db.session.get(Event, event_id)
        if action == "start":
            rounds.start(rounds.next_planned_round(event))
        elif action == "undo":
            undo.undo(event)
        else:
            undo.next_round(event)  # as the console does, keeping what it ended
        db.session.commit()


def test_a_phone_moved_by_the_rotation_shows_its_new_table(app, make, phones):
    event = make.event(tables=2, rounds=2)
    guests = [phones("de"), phones("de")]
    for number, guest in enumerate(guests, start=1):
        page = guest.open(f"/j/{event.code}/{number}")
        page.get_by_role("button", name="Mitmachen").first.click()
        page.wait_for_url(f"**/e/{event.code}")
    control(app, event.id, "start")
    for guest in guests:
        guest.page.locator("#idea-form").wait_for(state="visible", timeout=10_000)
        guest.page.evaluate("window.beforeRotation = true")

    control(app, event.id, "next")  # two guests at two tables: each goes to the other table
    for number, guest in zip((2, 1), guests):
        guest.page.get_by_text(f"Bitte gehen Sie jetzt an Tisch {number}.").wait_for(timeout=10_000)
        assert guest.page.locator("h1").inner_text() == f"Tisch {number}"
        assert guest.page.evaluate("window.beforeRotation") is True  # swapped in place, not reloaded
        assert guest.page.title().startswith(f"Tisch {number} ")
        assert guest.page.locator("#switch-table").input_value() == str(number)
        assert guest.page.locator("#idea-form").is_visible()
        assert guest.foreign_requests() == []
    # What the moved phone writes now lands at its new table, under its new heading.
    first = guests[0].page
    first.locator("#text").fill("Sprachcafé im Stadtteilzentrum")
    first.get_by_role("button", name="Idee abschicken").click()
    first.locator("#table-ideas").get_by_text("Sprachcafé im Stadtteilzentrum").wait_for(timeout=10_000)
    assert first.locator("h1").inner_text() == "Tisch 2"

    control(app, event.id, "undo")  # an accidental "next round": everyone back where they were
    for number, guest in zip((1, 2), guests):
        guest.page.locator("h1", has_text=f"Tisch {number}").wait_for(timeout=10_000)
        assert guest.page.locator("[data-moved-notice]").is_hidden()
        assert guest.page.evaluate("window.beforeRotation") is True
    assert first.locator("#table-ideas").get_by_text("Sprachcafé im Stadtteilzentrum").count() == 0  # it stays at table 2
