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


def test_the_card_menu_moves_without_a_page_load_and_focus_goes_on(app, organiser_page):
    page, _process_id, fields = organiser_page
    cards = page.locator("#column-unsorted .board-card")
    first_id, second_id = cards.nth(0).get_attribute("id"), cards.nth(1).get_attribute("id")
    first = page.locator(f"#{first_id}")
    first.locator(".card-actions summary").focus()
    page.keyboard.press("Enter")  # opens the card's menu
    first.locator("select[name=to]").select_option(f"field-{fields[0]}")
    first.locator(".board-move button[type=submit]").press("Enter")
    page.locator(f"#column-field-{fields[0]} #{first_id}").wait_for()
    assert field_of(app, first_id) == fields[0]
    assert "Ausbildung und Arbeit" in page.locator("#board-status").inner_text()
    assert page.evaluate("document.activeElement.id") == second_id  # on to the card that took its place
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1


def unsorted_count(page):
    return page.locator("#column-unsorted .board-card").count()


def test_every_unsorted_card_sorted_by_keyboard_alone_one_key_each(app, organiser_page):
    page, _process_id, fields = organiser_page
    before = unsorted_count(page)
    assert before >= 20
    page.locator("#column-unsorted .board-card").first.focus()
    moved, with_suggestion = [], 0
    for n in range(before):
        moved.append(page.evaluate("document.activeElement.id"))
        with_suggestion += page.evaluate("document.activeElement.querySelector('[data-suggestion]') !== null")
        page.keyboard.press(str(n % 3 + 1))  # the digit at the field's column; the focus goes on by itself
        page.wait_for_function(f"() => document.querySelectorAll('#column-unsorted .board-card').length === {before - n - 1}")
    assert len(set(moved)) == before and all(card.startswith("idea-") for card in moved)
    assert with_suggestion == before  # each card showed its suggestion while it was sorted
    assert [field_of(app, card) for card in moved] == [fields[n % 3] for n in range(before)]
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no page load
    assert page.locator("#column-unsorted [data-count]").first.inner_text() == "0"
    page.locator(f"#column-field-{fields[0]} .board-card").first.focus()

    # Arrows go between cards and columns (the empty one left out); ? shows the keys, Escape closes them.
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.closest('.board-column').id") == f"column-field-{fields[1]}"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('.board-column').id") == f"column-field-{fields[0]}"
    page.keyboard.press("?")
    assert page.locator("#board-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#board-help").is_visible()


def test_a_and_r_decide_the_suggestion_on_the_focused_card(app, organiser_page):
    page, _process_id, _fields = organiser_page
    suggested = page.locator("#column-unsorted .board-card:has([data-suggestion])")
    if suggested.count() < 2:
        pytest.skip("the demo has fewer than two stored suggestions")
    first_id, second_id = suggested.nth(0).get_attribute("id"), suggested.nth(1).get_attribute("id")
    page.locator(f"#{first_id}").focus()
    page.keyboard.press("a")
    page.wait_for_function(f"() => !document.querySelector('#column-unsorted #{first_id}')")
    assert field_of(app, first_id) is not None
    page.locator(f"#{second_id}").focus()
    page.keyboard.press("r")
    page.wait_for_function(f"() => !document.querySelector('#{second_id} [data-suggestion]')")
    assert field_of(app, second_id) is None and page.locator(f"#column-unsorted #{second_id}").count() == 1
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1


def test_eight_cards_of_a_column_are_in_sight_at_1280_by_800(organiser_page):
    page, _process_id, _fields = organiser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("#board").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('board').scrollIntoView()")
    whole = page.evaluate("""() => {
        const column = document.getElementById('column-unsorted').getBoundingClientRect();
        return [...document.querySelectorAll('#column-unsorted .board-card')].filter(card => {
            const box = card.getBoundingClientRect();
            return box.top >= Math.max(column.top, 0) && box.bottom <= Math.min(column.bottom, innerHeight);
        }).length; }""")
    assert whole >= 8, f"only {whole} cards in sight"


def test_the_board_in_arabic_at_1024_px(app, runner, browser, live_server):
    """Right to left, on a small office screen: the page does not scroll sideways (the board does,
    inside), no column name is cut, and the arrow keys follow the reading direction."""
    result = runner.invoke(args=["demo"])
    password = re.search(r"password: (\S+)", result.output).group(1)
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        process_id, fields = process.id, [f.id for f in process.action_fields]
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="ar",
                                  extra_http_headers={"Accept-Language": "ar"})
    page = context.new_page()
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", "organisation@demo.example")
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").last.click()
    page.goto(f"{live_server}/organise/processes/{process_id}/board")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    cut = page.evaluate("""[...document.querySelectorAll('.board-column > .board-heading > span:first-child')]
        .filter(name => name.scrollWidth > name.clientWidth + 1).map(name => name.textContent)""")
    assert cut == []
    page.locator("#column-unsorted .board-card").first.focus()
    page.keyboard.press("ArrowLeft")  # in Arabic the next column lies to the left
    assert page.evaluate("document.activeElement.closest('.board-column').id") == f"column-field-{fields[0]}"
    context.close()


def test_ticked_moves_merges_and_new_clusters_without_a_page_load(app, organiser_page):
    page, _process_id, fields = organiser_page
    cards = page.locator("#column-unsorted .board-card")
    ticked = [cards.nth(n).get_attribute("id") for n in range(3)]
    for card_id in ticked[:2]:
        page.locator(f"#{card_id}").focus()
        page.keyboard.press(" ")
    page.select_option("#bulk-to", f"field-{fields[2]}")
    scrolled = page.locator("#column-unsorted").evaluate("column => column.scrollTop = 200")
    page.locator(".board-bulk").get_by_role("button", name="Verschieben", exact=True).click()
    page.locator(f"#column-field-{fields[2]} #{ticked[1]}").wait_for()
    assert [field_of(app, card_id) for card_id in ticked[:2]] == [fields[2], fields[2]]
    assert "2 Ideen liegen jetzt in" in page.locator(".notice-success").first.inner_text()
    assert page.locator("#column-unsorted").evaluate("column => column.scrollTop") == scrolled  # where it was

    # m merges the ticked into the focused card
    page.locator(f"#{ticked[2]}").focus()
    page.keyboard.press(" ")
    page.locator(f"#{ticked[1]}").focus()
    page.keyboard.press(" ")
    page.keyboard.press("m")
    page.locator(".notice-success", has_text="zusammengeführt").wait_for()
    with app.app_context():
        merged = db.session.scalar(db.select(Contribution).filter_by(uuid=uuid.UUID(ticked[2].removeprefix("idea-"))))
        assert merged.merged_into is not None and str(merged.merged_into.uuid) == ticked[1].removeprefix("idea-")

    new_cluster = page.locator(f"#column-field-{fields[0]} details.cluster-new")
    new_cluster.locator("summary").click()
    new_cluster.locator("input[type=text]").fill("Begegnung im Park")
    new_cluster.get_by_role("button").click()
    page.locator(f"#column-field-{fields[0]} .board-cluster", has_text="Begegnung im Park").wait_for()
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
