"""What the tests of the actors' register and links share (tests/test_actors.py, tests/test_actor_link.py):
two processes with a goal tree each, an event with an open online phase, staff of each role."""
import re
from datetime import date, timedelta
from types import SimpleNamespace

from app.extensions import db
from app.models import Actor, Event, Process
from app.services.goals import goaltree

ORGANISER, MODERATOR, STEERING, OTHER = "orga@example.org", "mod@example.org", "steer@example.org", "orga-b@example.org"


def _tree(process_id: int, title: str) -> str:
    """A started tree with one goal under the first Handlungsfeld; the goal's UUID."""
    process = db.session.get(Process, process_id)
    root = goaltree.ensure_tree(process)
    return str(goaltree.add_node(root.children[0], "ziel", title).uuid)


def build_register(app, make):
    """Process A (an event with an open online phase, another one not open) and process B: what the
    test modules' `register` fixture returns."""
    a, b = make.process("Prozess A"), make.process("Prozess B")
    open_event = make.event(a.id, tables=1, rounds=2)
    closed_event = make.event(a.id, tables=1, rounds=1)
    other_event = make.event(b.id, tables=1, rounds=1)
    users = {email: make.user(email, roles=[(process.id, role)]) for email, process, role in (
        (ORGANISER, a, "organiser"), (MODERATOR, a, "moderator"), (STEERING, a, "steering"), (OTHER, b, "organiser"))}
    with app.app_context():
        today = date.today()
        for event_id, starts, ends in ((open_event.id, -1, 10), (closed_event.id, 5, None), (other_event.id, -1, None)):
            event = db.session.get(Event, event_id)
            event.online_starts_on = today + timedelta(days=starts)
            event.online_ends_on = today + timedelta(days=ends) if ends is not None else None
        goal, foreign_goal = _tree(a.id, "Sprachcafés in allen Ortsteilen"), _tree(b.id, "Wohnungen für alle")
        fields = [field.id for field in db.session.get(Process, a.id).action_fields]
        foreign_field = db.session.get(Process, b.id).action_fields[0].id
        db.session.commit()
    return SimpleNamespace(a=a, b=b, event=open_event, closed_event=closed_event, other_event=other_event,
                           users=users, goal=goal, foreign_goal=foreign_goal, fields=fields,
                           foreign_field=foreign_field)


def client_of(app, user=None):
    """A browser of its own, logged in as `user` (as made by `make.user`) if given."""
    browser = app.test_client()
    if user is not None:
        answer = browser.post("/auth/login", data={"email": user.email, "password": user.password})
        assert answer.status_code == 302
    return browser


def add_actor(browser, process_id, **fields) -> int:
    """An entry added through the form; its id."""
    data = {"name": "Caritas Herdecke", "kind": "association", **fields}
    answer = browser.post(f"/organise/processes/{process_id}/actors/new", data=data)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rstrip("/").split("/")[-1])


def new_link(browser, process_id, actor_id) -> str:
    """The personal link made (or replaced) through the button: its path, read off the page shown once."""
    answer = browser.post(f"/organise/processes/{process_id}/actors/{actor_id}/link")
    assert answer.status_code == 200
    return re.search(r'value="https?://[^/"]+(/a/[^"]+)"', answer.get_data(as_text=True)).group(1)


def actor_row(app, actor_id) -> Actor | None:
    with app.app_context():
        actor = db.session.get(Actor, actor_id)
        if actor is not None:
            db.session.expunge(actor)
        return actor
