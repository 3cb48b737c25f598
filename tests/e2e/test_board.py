"""An organiser sorts the demo's ideas on the board in a browser: by mouse, and by keyboard alone."""
import re
import uuid

import pytest

from app.extensions import db
from app.models import Contribution, Process

pytestmark = pytest.mark.browser


@pytest.fixture
def organiser_page(app, runner, browser, live_server):
    """The demo's board, open in a desktop browser as its organiser; yields (page, process id, field ids)."""
    result = runner.invoke(args=["demo"])
    password = re.search(r"password: (\S+)", result.output).group(1)
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        process_id, fields = process.id, [f.id for f in process.action_fields]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", "organisation@demo.example")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/organise/processes/{process_id}/board")
    yield page, process_id, fields
    context.close()


def field_of(app, card_id):
    """The action field of the idea on the card with this id, read from the database."""
    with app.app_context():
        return db.session.scalar(db.select(Contribution.action_field_id)
                                 .filter_by(uuid=uuid.UUID(card_id.removeprefix("idea-"))))


def test_drag_a_card_into_a_field(app, organiser_page):
    page, _process_id, fields = organiser_page
    card = page.locator("#column-unsorted .board-card").first
    card_id = card.get_attribute("id")
    unsorted = int(page.locator("#column-unsorted [data-count]").first.inner_text())
    in_field = int(page.locator(f"#column-field-{fields[2]} [data-count]").first.inner_text())
    # Grab the card by its text, scrolled clear of the sticky column header (a tall card's top may hide there).
    card.locator("p").first.hover(position={"x": 30, "y": 12})
    page.mouse.down()
    target = page.locator(f"#column-field-{fields[2]}").bounding_box()
    page.mouse.move(target["x"] + 60, target["y"] + 120, steps=5)
    page.mouse.up()
    page.locator(f"#column-field-{fields[2]} #{card_id}").wait_for()
    assert page.locator(f"#column-field-{fields[2]} [data-count]").first.inner_text() == str(in_field + 1)
    assert page.locator("#column-unsorted [data-count]").first.inner_text() == str(unsorted - 1)
    assert field_of(app, card_id) == fields[2]
    page.reload()
    assert page.locator(f"#column-field-{fields[2]} #{card_id}").count() == 1


def test_sort_by_keyboard_and_carry_on_at_the_next_card(app, organiser_page):
    page, _process_id, fields = organiser_page
    cards = page.locator("#column-unsorted .board-card")
    first, second = cards.nth(0), cards.nth(1)
    first_id, second_id = first.get_attribute("id"), second.get_attribute("id")
    first.locator("select[name=to]").focus()
    page.keyboard.press("ArrowDown")  # "Unsortiert" -> the first field
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert field_of(app, first_id) == fields[0]
    assert "Die Idee liegt jetzt in „Ausbildung und Arbeit“." in page.locator(".notice").first.inner_text()
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'to-{second_id[5:]}'")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the second field
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert field_of(app, second_id) == fields[1]
