"""An organiser rearranges the goal tree in a browser: by dragging a node, and by keyboard alone."""
import uuid

import pytest

from app.extensions import db
from app.models import GoalNode, Process
from app.services.goals import goaltree

pytestmark = pytest.mark.browser


@pytest.fixture
def tree_page(app, make, browser, live_server):
    """A tree with two goals (A, B) under the first action field, open in a desktop browser."""
    process = make.process()
    user = make.user("orga@example.org", roles=[(process.id, "organiser")])
    with app.app_context():
        root = goaltree.ensure_tree(db.session.get(Process, process.id))
        field = root.children[0]
        nodes = {title: str(goaltree.add_node(field, "ziel", title).uuid) for title in ("Ziel A", "Ziel B")}
        db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server}/auth/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", user.password)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/organise/processes/{process.id}/goal-tree")
    yield page, process.id, nodes
    context.close()


def parent_title(app, node_uuid):
    with app.app_context():
        node = db.session.scalar(db.select(GoalNode).where(GoalNode.uuid == uuid.UUID(node_uuid)))
        return node.parent.display_title["de"]


def test_drag_a_goal_under_another(app, tree_page):
    page, _process_id, nodes = tree_page
    source = page.locator(f"#node-{nodes['Ziel B']} > .goal-card .goal-title")
    target = page.locator(f"#node-{nodes['Ziel A']} > .goal-card")
    source.scroll_into_view_if_needed()
    start, box = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.locator(f"#node-{nodes['Ziel A']} .goal-children #node-{nodes['Ziel B']}").wait_for()
    assert parent_title(app, nodes["Ziel B"]) == "Ziel A"
    assert page.locator(f"#node-{nodes['Ziel B']} .goal-number").first.inner_text() == "1.1.1"


def test_move_by_keyboard(app, tree_page):
    page, _process_id, nodes = tree_page
    link = page.locator(f"#node-{nodes['Ziel A']} > .goal-card a", has_text="Verschieben nach")
    link.focus()
    page.keyboard.press("Enter")
    page.locator(f"#parent-{nodes['Ziel B']}").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(f"#node-{nodes['Ziel B']} .goal-children #node-{nodes['Ziel A']}").wait_for()
    assert parent_title(app, nodes["Ziel A"]) == "Ziel B"
    assert "„Ziel A“ ist verschoben." in page.locator(".notice-success").inner_text()
