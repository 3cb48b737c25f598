"""The shared live fragment on a phone: its own ideas stay marked, with their delete button."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Contribution, Round
from app.models.base import utcnow

pytestmark = pytest.mark.browser


def start_first_round(app, event):
    with app.app_context():
        round_ = db.session.get(Round, event.round_ids[0])
        round_.state, round_.started_at = "running", utcnow()
        round_.ends_at = round_.started_at + timedelta(minutes=20)
        round_.event.phones_revision += 1
        db.session.commit()


def write(page, text):
    page.fill("#text", text)
    page.get_by_role("button", name="Idee abschicken").click()
    page.get_by_text("Ihre Idee ist gespeichert").wait_for(timeout=10_000)


def test_own_ideas_stay_marked_when_the_shared_fragment_comes_in(app, make, phones):
    event = make.event(tables=2, rounds=1)
    start_first_round(app, event)
    ada, ben = phones("de"), phones("de")
    for phone in (ada, ben):
        page = phone.open(f"/j/{event.code}/1")
        page.get_by_role("button", name="Mitmachen").first.click()
        page.wait_for_url(f"**/e/{event.code}")

    write(ada.page, "Patenschaften für Neuzugezogene")
    write(ben.page, "Ein Willkommensfest im Park")

    # Ada's phone takes Ben's idea in from the fragment the whole table shares, then marks her own.
    ideas = ada.page.locator("#table-ideas")
    ideas.get_by_text("Ein Willkommensfest im Park").wait_for(timeout=15_000)
    assert any("/view/de/" in url for url in ada.requests)
    own = ideas.locator("li.idea-own")
    own.first.wait_for(timeout=5_000)
    assert own.count() == 1 and "Patenschaften für Neuzugezogene" in own.inner_text()
    assert "Ihre Idee" in own.inner_text()
    assert ideas.get_by_role("button", name="Löschen").count() == 1  # none for Ben's idea

    # The button the script made deletes the idea, after a few seconds in which it can be undone.
    own.get_by_role("button", name="Löschen").click()
    ada.page.get_by_text("Idee gelöscht.").wait_for(timeout=5_000)
    assert own.first.is_hidden()
    ada.page.get_by_role("button", name="Rückgängig").click()
    own.first.wait_for(state="visible", timeout=5_000)
    ada.page.wait_for_timeout(7_000)  # longer than the undo lasts: nothing was sent
    assert texts_stored(app) == {"Patenschaften für Neuzugezogene", "Ein Willkommensfest im Park"}

    own.get_by_role("button", name="Löschen").click()
    ada.page.wait_for_function("() => !document.querySelector('.undo-note')", timeout=15_000)
    for _ in range(50):  # the note goes as the request leaves
        if texts_stored(app) == {"Ein Willkommensfest im Park"}:
            break
        ada.page.wait_for_timeout(100)
    assert texts_stored(app) == {"Ein Willkommensfest im Park"}
    ada.page.wait_for_function(
        "() => !document.querySelector('#table-ideas').innerText.includes('Patenschaften')", timeout=10_000)


def texts_stored(app):
    with app.app_context():
        return set(db.session.scalars(db.select(Contribution.text)))
