"""Public results: off until the organisers opt in; then the goal tree, its progress and the ideas
that fed it for anyone without a login, and nothing that could single a person out."""
import re
import uuid

import pytest

from app.extensions import db
from app.models import Contribution, GoalNodeIdea, Participant, Process
from app.models.base import utcnow


@pytest.fixture
def demo(runner, app, client):
    """The demo with its organiser logged in on `client`; one idea that fed the tree has an author
    with a nickname, and another idea of the tree is hidden."""
    output = runner.invoke(args=["demo"]).output
    client.post("/auth/login", data={"email": re.search(r"e-mail:\s+(\S+)", output).group(1),
                                     "password": re.search(r"password: (\S+)", output).group(1)})
    with app.app_context():
        process = db.session.scalar(db.select(Process))
        fed = db.session.scalars(db.select(Contribution).join(GoalNodeIdea).order_by(Contribution.id)).all()
        named, hidden = fed[0], fed[1]
        named.participant = Participant(event_id=named.event_id, token="n" * 43, nickname="Ada Lovelace")
        hidden.hidden_at, hidden.hidden_reason = utcnow(), "Werbung"
        assert process.results_public  # the demo shows its results page ...
        process.results_public, process.published_formats = False, []  # ... here a town that has not decided yet
        db.session.commit()
        return {"id": process.id, "uuid": str(process.uuid), "named": (str(named.uuid), named.text),
                "hidden": (str(hidden.uuid), hidden.text), "url": f"/results/{process.uuid}"}


def publish(client, demo, *formats, public=True):
    return client.post(f"/organise/processes/{demo['id']}/publication",
                       data={"public": "1" if public else "", "formats": list(formats)})


def test_nothing_is_public_until_the_organisers_opt_in(app, client, demo):
    visitor = app.test_client()
    assert visitor.get(demo["url"]).status_code == 404
    assert visitor.get(f"{demo['url']}/ideas/{demo['named'][0]}").status_code == 404
    assert visitor.get(f"{demo['url']}/goal-tree.docx").status_code == 404
    assert visitor.post(f"/organise/processes/{demo['id']}/publication", data={"public": "1"}).status_code in (302, 403)
    assert visitor.get(demo["url"]).status_code == 404


def test_the_town_sees_the_tree_with_progress_and_no_one_is_singled_out(app, client, demo):
    assert publish(client, demo, "docx").status_code == 303
    assert "Öffentliche Seite" in client.get(f"/organise/processes/{demo['id']}").get_data(as_text=True)
    visitor = app.test_client()
    page = visitor.get(demo["url"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Zielbaum" in html and "Handlungsfelder" in html
    assert re.search(r"Fortschritt: \d+ %", html) and "<progress" in html
    assert demo["named"][1] in html  # the idea is there, its author's nickname is not
    assert "Ada Lovelace" not in html and demo["hidden"][1] not in html
    assert not re.search(r"Tisch \d|Runde \d", html)  # no table, round or time of writing
    assert page.headers["Cache-Control"] == "public, max-age=300" and "Set-Cookie" not in page.headers
    assert visitor.get(demo["url"], headers={"If-None-Match": page.headers["ETag"]}).status_code == 304
    docx = visitor.get(f"{demo['url']}/goal-tree.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert visitor.get(f"{demo['url']}/goal-tree.xlsx").status_code == 404  # not published

    idea = visitor.get(f"{demo['url']}/ideas/{demo['named'][0]}").get_data(as_text=True)
    assert demo["named"][1] in idea and "Was daraus geworden ist" in idea and "Ada Lovelace" not in idea
    assert visitor.get(f"{demo['url']}/ideas/{demo['hidden'][0]}").status_code == 404

    arabic = visitor.get(demo["url"], headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in arabic.split(">")[1] or '<html lang="ar" dir="rtl">' in arabic

    publish(client, demo, public=False)
    assert visitor.get(demo["url"]).status_code == 404


def test_the_author_shares_an_idea_from_the_return_link(app, client, demo):
    publish(client, demo)
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(uuid=uuid.UUID(demo["named"][0])))
        token = idea.participant.token
    page = app.test_client().get(f"/r/{token}").get_data(as_text=True)
    assert f"/results/{demo['uuid']}/ideas/{demo['named'][0]}" in page


def test_the_demo_shows_its_results_to_a_visitor_without_a_login(app, runner):
    output = runner.invoke(args=["demo"]).output
    url = re.search(r"Public results \(no login\): \S+?(/results/\S+)", output).group(1)
    with app.app_context():
        nicknames = [name for name in db.session.scalars(db.select(Participant.nickname)) if name]
    page = app.test_client().get(url).get_data(as_text=True)
    assert re.search(r"Fortschritt: \d+ %", page) and "Zielbaum" in page and "Bericht für den Rat (DOCX)" in page
    assert len(nicknames) >= 5 and not any(name in page for name in nicknames)
