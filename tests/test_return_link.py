"""A return link opened on a phone that already is someone else of the event (issue 16, point 7)."""
import re

import pytest

from app.extensions import db
from app.models import Contribution, Participant
from tests.test_participate import event, join, post_idea  # noqa: F401 (event is a fixture)


def token_of(app, nickname):
    with app.app_context():
        return db.session.scalar(db.select(Participant.token).filter_by(nickname=nickname))


def own_idea_author(app, phone, code, text, key):
    """Who the phone is now: it posts an idea, and the idea says whose it is."""
    assert post_idea(phone, code, text, key=key).status_code == 201
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(text=text))
        return idea.participant.nickname


@pytest.fixture
def alice_and_bob(app, event):
    alice, bob = app.test_client(), app.test_client()
    join(alice, event.code, table=1, nickname="Alice")
    join(bob, event.code, table=2, nickname="Bob")
    post_idea(alice, event.code, "Mehr Bänke am Fluss")
    return alice, bob


def test_someone_elses_link_shows_their_ideas_but_the_phone_stays_itself(app, event, alice_and_bob):
    alice, bob = alice_and_bob
    page = bob.get(f"/r/{token_of(app, 'Alice')}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert "Mehr Bänke am Fluss" in text
    assert "Das bin ich: als diese Person weitermachen" in text
    assert "Teilnahme löschen" not in text and "Meine Daten herunterladen" not in text  # read only
    assert own_idea_author(app, bob, event.code, "Bob schreibt weiter", "k-bob") == "Bob"


def test_confirming_switches_the_phone_to_the_link_s_participant(app, event, alice_and_bob):
    alice, bob = alice_and_bob
    token = token_of(app, "Alice")
    response = bob.post(f"/r/{token}/take")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/r/{token}")
    page = bob.get(f"/r/{token}").get_data(as_text=True)
    assert "Das bin ich" not in page and "Teilnahme löschen" in page
    assert own_idea_author(app, bob, event.code, "Jetzt als Alice", "k-as-alice") == "Alice"


def test_switching_needs_the_csrf_token(app, event, alice_and_bob, other_app):
    phone = other_app(WTF_CSRF_ENABLED=True).test_client()
    form = phone.get(f"/j/{event.code}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    join(phone, event.code, table=1, nickname="Carla", csrf_token=csrf)
    token = token_of(app, "Alice")
    assert phone.post(f"/r/{token}/take").status_code == 400
    assert "Das bin ich" in phone.get(f"/r/{token}").get_data(as_text=True)  # still Carla


def test_a_phone_that_is_nobody_in_the_event_only_reads_until_the_person_confirms(app, event, alice_and_bob):
    new_phone = app.test_client()
    token = token_of(app, "Alice")
    page = new_phone.get(f"/r/{token}").get_data(as_text=True)
    assert "Mehr Bänke am Fluss" in page and "Das bin ich: als diese Person weitermachen" in page
    assert "Teilnahme löschen" not in page and "Meine Daten herunterladen" not in page  # read only
    assert "schon als eine andere Person teil" not in page  # it is nobody here
    assert post_idea(new_phone, event.code, "Vom neuen Telefon", key="k-new").status_code == 403
    assert new_phone.post(f"/r/{token}/take").status_code == 303
    assert "Teilnahme löschen" in new_phone.get(f"/r/{token}").get_data(as_text=True)
    assert own_idea_author(app, new_phone, event.code, "Vom neuen Telefon", "k-new") == "Alice"


def test_the_participant_s_own_phone_sees_no_confirm_button(app, event, alice_and_bob):
    alice, _ = alice_and_bob
    page = alice.get(f"/r/{token_of(app, 'Alice')}").get_data(as_text=True)
    assert "Das bin ich" not in page and "Teilnahme löschen" in page and "Zurück zum Tisch" in page


def test_leaving_by_someone_elses_link_keeps_the_phone_s_own_identity(app, event, alice_and_bob):
    alice, bob = alice_and_bob
    response = bob.post(f"/r/{token_of(app, 'Alice')}/leave", data={"keep_ideas": "keep", "confirm": "y"})
    assert response.status_code == 303
    assert own_idea_author(app, bob, event.code, "Bob ist noch da", "k-bob-2") == "Bob"


def test_the_table_page_offers_the_return_link_once_the_first_idea_is_in(app, event, alice_and_bob):
    alice, bob = alice_and_bob
    before = bob.get(f"/e/{event.code}").get_data(as_text=True)
    assert re.search(r'id="return-link" hidden', before)  # Bob has written nothing yet
    page = alice.get(f"/e/{event.code}").get_data(as_text=True)
    panel = page.split('id="return-link"')[1].split("</section>")[0]
    assert not panel.startswith(" hidden") and "fotografieren Sie den QR-Code" in panel
    assert f'value="http://cafe.test/r/{token_of(app, "Alice")}"' in panel and "Link kopieren" in panel
    picture = alice.get(f"/e/{event.code}/my-link.svg")
    assert picture.status_code == 200 and picture.mimetype == "image/svg+xml" and b"<svg" in picture.data
    assert "private" in picture.headers["Cache-Control"]
    assert picture.data != bob.get(f"/e/{event.code}/my-link.svg").data  # each phone its own link
    assert app.test_client().get(f"/e/{event.code}/my-link.svg").status_code == 403


def test_a_phone_that_lost_its_link_finds_it_again_on_the_join_page(app, event, alice_and_bob):
    alice, _bob = alice_and_bob
    page = alice.get(f"/j/{event.code}").get_data(as_text=True)
    assert "Sie sind schon dabei." in page and f'href="/r/{token_of(app, "Alice")}"' in page
    assert "/r/" not in app.test_client().get(f"/j/{event.code}").get_data(as_text=True)  # nobody else's
