"""The phone's vote page through HTTP: one table of one round at a time, chosen by a plain GET form;
a dot by script (JSON) or by a plain form that returns to the same group."""
import re
import uuid as uuid_mod

import pytest

from app.extensions import db
from app.models import Contribution
from app.models.base import utcnow
from tests.test_voting import JSON, give, join, moderator, open_vote  # noqa: F401  (fixtures)
from tests.test_voting import event  # noqa: F401


def add_idea(app, event, text, table=None, round_number=1):
    """An idea at `table` (a number, or None) in round `round_number` (or None); its UUID."""
    with app.app_context():
        idea = Contribution(event_id=event.id, text=text,
                            round_id=event.round_ids[round_number - 1] if round_number else None,
                            table_id=event.table_ids[table - 1] if table else None)
        db.session.add(idea)
        db.session.commit()
        return str(idea.uuid)


@pytest.fixture
def ideas(app, event):
    """Two ideas at table 1, one at table 2 of round 1, one of round 2 at table 3, one from nowhere."""
    return {
        "t1a": add_idea(app, event, "Sprachcafé in der Bücherei", table=1),
        "t1b": add_idea(app, event, "Patenschaften für Neue", table=1),
        "t2": add_idea(app, event, "Mehr Bänke an der Ruhr", table=2),
        "r2t3": add_idea(app, event, "Ein Fest im Quartier", table=3, round_number=2),
        "loose": add_idea(app, event, "Aus einem Interview", table=None, round_number=None),
    }


def page_of(phone, event, query=""):
    response = phone.get(f"/e/{event.code}/vote{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def options(page):
    return re.findall(r'<option value="([^"]+)"( selected)?>\s*([^<]*)</option>', page)


def test_the_page_shows_the_phones_own_table_first(app, client, event, moderator, ideas):
    open_vote(client, event)
    page = page_of(join(app.test_client(), event.code, table=2), event)
    assert "Mehr Bänke" in page and "Sprachcafé" not in page and "Ein Fest" not in page
    assert re.search(r"<h2[^>]*>Runde 1 · Tisch 2</h2>", page)
    assert [(key, bool(selected)) for key, selected, _ in options(page)] == [
        ("1-1", False), ("1-2", True), ("2-3", False), ("0-0", False)]
    assert 'label="Runde 1"' in page and 'label="Runde 2"' in page and 'label="Ohne Runde"' in page
    assert [label.split(" · ")[1] for _, _, label in options(page)] == ["2 Ideen", "1 Idee", "1 Idee", "1 Idee"]
    assert f'href="/e/{event.code}/vote?group=2-3">Weiter: Runde 2 · Tisch 3</a>' in page


def test_the_filter_is_a_plain_get_form(app, client, event, moderator, ideas):
    open_vote(client, event)
    phone = join(app.test_client(), event.code, table=1)
    page = page_of(phone, event)
    form = re.search(r'<form class="filter-form vote-filter" method="get" action="([^"]+)">', page)
    assert form and form.group(1) == f"/e/{event.code}/vote" and 'name="group"' in page
    page = page_of(phone, event, "?group=2-3")
    assert "Ein Fest im Quartier" in page and "Sprachcafé" not in page
    assert ("2-3", " selected") in [(key, selected) for key, selected, _ in options(page)]
    page = page_of(phone, event, "?group=0-0")
    assert "Aus einem Interview" in page and "Ohne Tisch</h2>" in page and "Weiter:" not in page
    page = page_of(phone, event, "?group=9-9")  # gone or mistyped: the phone's own table
    assert "Sprachcafé" in page and "Patenschaften" in page and "Mehr Bänke" not in page


def test_a_phone_without_a_seat_starts_at_the_first_group(app, client, event, moderator, ideas):
    open_vote(client, event)
    phone = app.test_client()
    phone.post(f"/j/{event.code}", data={"interface_language": "de", "writing_language": "de"})
    assert "Runde 1 · Tisch 1</h2>" in page_of(phone, event)


def test_hidden_ideas_count_nowhere(app, client, event, moderator, ideas):
    with app.app_context():
        db.session.scalar(db.select(Contribution).filter_by(uuid=uuid_mod.UUID(ideas["t2"]))).hidden_at = utcnow()
        db.session.commit()
    open_vote(client, event)
    page = page_of(join(app.test_client(), event.code, table=1), event)
    assert "1-2" not in [key for key, _, _ in options(page)]


def test_the_choice_shows_where_the_phones_dots_are(app, client, event, moderator, ideas):
    open_vote(client, event, dots=5, max_per_idea=3)
    phone = join(app.test_client(), event.code, table=1)
    for idea in ("t2", "t2", "r2t3"):
        assert give(phone, event.code, ideas[idea]).status_code == 200
    labels = dict((key, label) for key, _, label in options(page_of(phone, event)))
    assert labels["1-2"].endswith("· Ihre Punkte: 2") and labels["2-3"].endswith("· Ihre Punkte: 1")
    assert "Ihre Punkte" not in labels["1-1"]


def test_a_plain_form_dot_returns_to_its_group(app, client, event, moderator, ideas):
    open_vote(client, event)
    phone = join(app.test_client(), event.code, table=1)
    response = give(phone, event.code, ideas["r2t3"], headers={})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/e/{event.code}/vote?group=2-3#idea-{ideas['r2t3']}")
    page = phone.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ein Fest im Quartier" in page and "Ihre Punkte für diese Idee: 1 von höchstens 3" in page
    assert "Sie haben noch 4 von 5 Punkten." in page
    # A refusal comes back to the same group, with the reason.
    for _ in range(3):
        give(phone, event.code, ideas["r2t3"], headers={})
    response = give(phone, event.code, ideas["r2t3"], headers={})
    assert "?group=2-3#" in response.headers["Location"]
    assert "höchstens 3" in phone.get(response.headers["Location"]).get_data(as_text=True)


def test_the_page_gives_its_script_the_sentences_to_fill_in(app, client, event, moderator, ideas):
    open_vote(client, event)
    phone = join(app.test_client(), event.code, table=1)
    page = page_of(phone, event)
    assert 'data-template="Sie haben noch %(n)d von %(total)d Punkten."' in page
    assert 'data-template="Ihre Punkte für diese Idee: %(n)d von höchstens %(max)d" data-max="3"' in page
    assert page.count('data-vote="give"') == 2 and page.count('data-vote="take-back"') == 2
    english = join(app.test_client(), event.code, table=1)
    english.post(f"/j/{event.code}/1", data={"interface_language": "en", "writing_language": "en"})
    assert 'data-template="You have %(n)d of %(total)d dots left."' in page_of(english, event)


def test_a_dot_by_script_answers_the_numbers_the_page_shows(app, client, event, moderator, ideas):
    open_vote(client, event, dots=5, max_per_idea=3)
    phone = join(app.test_client(), event.code, table=1)
    response = phone.post(f"/e/{event.code}/vote/{ideas['t1a']}/give", headers=JSON)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == {"status": "saved", "idea": ideas["t1a"], "own_dots": 1, "dots_left": 4, "dots": 5}
    refused = phone.post(f"/e/{event.code}/vote/{ideas['t1b']}/take-back", headers=JSON)
    assert refused.status_code == 409 and "keinen Punkt" in refused.get_json()["error"]
    assert "Sie haben noch 4 von 5 Punkten." in page_of(phone, event)
