"""In a real browser: the strict Content-Security-Policy refuses nothing the pages need, and an idea
refused by the per-participant limit stays in the phone's outbox and goes out after Retry-After."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Contribution, Event
from app.models.base import utcnow
from tests.e2e.test_phones import start_first_round

pytestmark = pytest.mark.browser


def csp_violations(phone) -> list[str]:
    found = []
    phone.page.on("console", lambda message: found.append(message.text)
                  if "Content Security Policy" in message.text else None)
    return found


def join(phone, event):
    page = phone.open(f"/j/{event.code}/1")
    page.get_by_role("button", name="Mitmachen").first.click()
    page.wait_for_url(f"**/e/{event.code}")
    return page


def test_pages_of_phones_projector_and_staff_run_under_the_policy(app, make, phones):
    event = make.event(tables=2, rounds=1)
    start_first_round(app, event)
    phone = phones("de")
    violations = csp_violations(phone)
    page = join(phone, event)
    page.fill("#text", "Mehr Bänke im Park")
    page.get_by_role("button", name="Idee abschicken").click()
    page.get_by_text("Ihre Idee ist gespeichert").wait_for(timeout=10_000)
    with app.app_context():
        projector = db.session.get(Event, event.id).projector_token
    phone.open(f"/p/{projector}")
    phone.page.wait_for_timeout(500)
    user = make.user("orga@example.org", roles=[(event.process_id, "organiser")])
    staff = phones("de")
    violations += csp_violations(staff)
    login = staff.open("/auth/login")
    login.fill("#email", user.email)
    login.fill("#password", user.password)
    login.get_by_role("button", name="Anmelden").click()
    login.wait_for_url("**/organise/**")
    board = staff.open(f"/organise/processes/{event.process_id}/board")
    # The action fields' colours reach the columns through the static script, not a style attribute.
    colours = board.eval_on_selector_all("[data-field-colour]", "nodes => nodes.map(n => "
                                         "[n.dataset.fieldColour, getComputedStyle(n).getPropertyValue('--field-colour').trim()])")
    assert colours and all(given == applied for given, applied in colours)
    staff.open(f"/organise/processes/{event.process_id}")
    staff.open(f"/moderate/events/{event.id}")
    staff.page.wait_for_timeout(500)
    assert violations == []


def test_an_idea_over_the_limit_waits_in_the_outbox_and_goes_out_after_retry_after(app, make, phones):
    app.config["IDEAS_PER_PARTICIPANT_MINUTE"] = 1
    event = make.event(tables=1, rounds=1)
    start_first_round(app, event)
    phone = phones("de")
    page = join(phone, event)
    page.fill("#text", "Die erste Idee")
    page.get_by_role("button", name="Idee abschicken").click()
    page.get_by_text("Ihre Idee ist gespeichert").wait_for(timeout=10_000)
    with app.app_context():  # the first idea is 58 s old: the next one may go in 2 s
        first = db.session.scalar(db.select(Contribution))
        first.created_at = utcnow() - timedelta(seconds=58)
        db.session.commit()

    page.fill("#text", "Die zweite Idee, zu schnell")
    page.get_by_role("button", name="Idee abschicken").click()
    page.get_by_text("sehr viele Ideen").wait_for(timeout=10_000)
    assert page.locator("#outbox").get_by_text("Die zweite Idee, zu schnell").count() == 1
    page.get_by_text("Ihre Idee ist gespeichert").wait_for(timeout=15_000)
    assert page.locator("#outbox li").count() == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Contribution)) == 2
