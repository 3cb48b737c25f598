"""The moderator chooses what the projector shows; phones are not disturbed by it."""
import pytest

from app.extensions import db
from app.models import Event

JSON = {"Accept": "application/json"}


@pytest.fixture
def event(make):
    return make.event(tables=8, rounds=2)


@pytest.fixture
def moderator(client, make, login, event):
    user = make.user("moderation@example.org", roles=[(event.process_id, "moderator")])
    login(user)
    return user


def join(app, event, table, name=""):
    phone = app.test_client()
    phone.post(f"/j/{event.code}/{table}", data={"interface_language": "de", "writing_language": "de", "nickname": name})
    return phone


def revisions(app, event):
    with app.app_context():
        row = db.session.get(Event, event.id)
        return row.revision, row.phones_revision, row.projector_token


def choose(client, event, scene):
    return client.post(f"/moderate/events/{event.id}/projector/scene", data={"scene": scene}, headers=JSON)


def test_each_scene_shows_its_part_and_phones_are_left_alone(app, client, event, moderator):
    phones = [join(app, event, 1, "Ada"), join(app, event, 2), join(app, event, 2, "Cem")]
    client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/start", headers=JSON)
    phones[0].post(f"/e/{event.code}/ideas", data={"text": "Ein Sprachcafé in der Bücherei", "key": "k1"})
    revision, phones_revision, token = revisions(app, event)
    projector = app.test_client()

    page = projector.get(f"/p/{token}").get_data(as_text=True)
    assert "scene-question" in page and "3 Personen machen mit" in page and "Frage 1" in page

    assert choose(client, event, "wall").get_json() == {"scene": "wall"}
    wall = projector.get(f"/p/{token}/fragment").get_data(as_text=True)
    assert "scene-wall" in wall and "Ein Sprachcafé in der Bücherei" in wall

    choose(client, event, "vote")
    assert "Die Abstimmung ist noch nicht geöffnet." in projector.get(f"/p/{token}/fragment").get_data(as_text=True)

    choose(client, event, "rotation")
    plan = projector.get(f"/p/{token}/fragment").get_data(as_text=True)
    assert "Runde 1: Wer sitzt wo" in plan and "Seite 1 von 2" in plan  # 8 tables, 6 a page
    table_2 = plan.split("Tisch 2")[1].split("</ul>")[0]
    assert '<span class="person-number">2</span>' in table_2 and "Cem" in table_2 and "Ada" not in table_2

    choose(client, event, "pause")
    assert "Gleich geht es weiter." in projector.get(f"/p/{token}/fragment").get_data(as_text=True)
    console = client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    assert 'value="pause" aria-pressed="true"' in console

    after = revisions(app, event)
    assert after[0] > revision and after[1] == phones_revision  # the console and projector follow, phones do not


def test_an_unknown_scene_is_refused_with_a_message(app, client, event, moderator):
    response = choose(client, event, "kino")
    assert response.status_code == 400 and "Beamer" in response.get_json()["error"]
    with app.app_context():
        assert db.session.get(Event, event.id).projector_scene == "question"


def test_each_phone_shows_its_personal_number(app, event):
    phones = [join(app, event, 1), join(app, event, 1), join(app, event, 3)]
    assert "Ihre Nummer: 3" in phones[2].get(f"/e/{event.code}").get_data(as_text=True)
    assert "Ihre Nummer: 1" in phones[0].get(f"/e/{event.code}").get_data(as_text=True)
