"""A phone on the vote page follows the moderator: buttons when the vote opens, the result when it
closes, without the participant reloading anything."""
import pytest

from app.extensions import db
from app.models import Contribution, Event
from app.services import voting
from tests.e2e.test_phones import JOIN, start_first_round

pytestmark = pytest.mark.browser

NOT_OPEN = {"de": "Die Abstimmung ist noch nicht geöffnet.", "ar": "لم يُفتح التصويت بعد."}
CLOSED = {"de": "Die Abstimmung ist beendet.", "ar": "انتهى التصويت."}
GIVE = {"de": "+ Punkt", "ar": "+ نقطة"}


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_vote_page_follows_the_moderator(app, make, phones, language):
    event = make.event(tables=1, rounds=1, languages=("de", "ar"))
    start_first_round(app, event)
    with app.app_context():
        db.session.add(Contribution(event_id=event.id, text="Ein Sprachcafé in der Stadtbücherei"))
        db.session.commit()
    phone = phones(language)
    page = phone.open(f"/j/{event.code}/1")
    page.get_by_role("button", name=JOIN[language]).first.click()
    page.wait_for_url(f"**/e/{event.code}")
    page = phone.open(f"/e/{event.code}/vote")
    page.get_by_text(NOT_OPEN[language]).wait_for()

    def moderator(action):
        with app.app_context():
            action(db.session.get(Event, event.id))
            db.session.commit()

    moderator(lambda e: voting.open_vote(e, 3, 2))
    page.get_by_role("button", name=GIVE[language]).first.wait_for(timeout=15_000)
    moderator(voting.close_vote)
    page.get_by_text(CLOSED[language]).wait_for(timeout=15_000)
    assert phone.foreign_requests() == []
