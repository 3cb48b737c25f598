"""A phone on the vote page follows the moderator: buttons when the vote opens, the result when it
closes, without the participant reloading anything."""
import pytest

from app.extensions import db
from app.models import Contribution, Event, Participant
from app.services.cafe import voting
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


def _filled(page, selector, **values):
    """The sentence the page's script shows in `selector`, filled as the page's template says."""
    template = page.locator(selector).get_attribute("data-template")
    for name, value in values.items():
        template = template.replace(f"%({name})d", str(value))
    return template


@pytest.mark.parametrize("language", ["de", "ar"])
def test_dots_go_out_without_reloading_by_keyboard_too(app, make, phones, language):
    event = make.event(tables=2, rounds=1, languages=("de", "ar"))
    start_first_round(app, event)
    with app.app_context():
        for table, text in [(0, "Ein Sprachcafé"), (0, "Patenschaften"), (1, "Mehr Bänke an der Ruhr")]:
            db.session.add(Contribution(event_id=event.id, round_id=event.round_ids[0],
                                        table_id=event.table_ids[table], text=text))
        voting.open_vote(db.session.get(Event, event.id), 3, 2)
        db.session.commit()
    phone = phones(language)
    page = phone.open(f"/j/{event.code}/1")
    page.get_by_role("button", name=JOIN[language]).first.click()
    page.wait_for_url(f"**/e/{event.code}")
    page = phone.open(f"/e/{event.code}/vote")
    left = page.locator("#vote-left")
    first, second = page.locator(".vote-ideas > li").nth(0), page.locator(".vote-ideas > li").nth(1)

    # Two dots on the first idea by keyboard: its + is then spent, and the focus moves to its −.
    first.get_by_role("button", name=GIVE[language]).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('vote-left').textContent.includes('2')")
    assert left.text_content() == _filled(page, "#vote-left", n=2, total=3)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.vote-ideas > li').dataset.own === '2'")
    assert left.text_content() == _filled(page, "#vote-left", n=1, total=3)
    assert first.locator(".vote-own-text").text_content() == _filled(page, ".vote-ideas", n=2, max=2)
    assert first.get_by_role("button", name=GIVE[language]).is_disabled()
    assert page.evaluate("document.activeElement.closest('form').dataset.vote") == "take-back"

    # The last dot: every + is spent, and the focus is on the second idea's −, which gives it back.
    second.get_by_role("button", name=GIVE[language]).click()
    page.wait_for_function("() => document.querySelectorAll('.vote-ideas [data-vote=give] button:disabled').length === 2")
    assert left.text_content() == _filled(page, "#vote-left", n=0, total=3)
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelectorAll('.vote-ideas > li')[1].dataset.own === '0'")
    assert not second.get_by_role("button", name=GIVE[language]).is_disabled()
    assert first.get_by_role("button", name=GIVE[language]).is_disabled()  # two are all one idea takes
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1

    # What the page showed is what was stored.
    with app.app_context():
        participant = db.session.scalars(db.select(Participant)).one()
        assert voting.own_dots(participant).left(participant.event) == 1

    # Another table's ideas, by the filter's own form.
    page.select_option("#group", "1-2")
    page.locator(".vote-filter button").click()
    page.wait_for_url(f"**/e/{event.code}/vote?group=1-2")
    assert page.locator(".vote-ideas > li").count() == 1 and "Mehr Bänke" in page.locator(".vote-ideas").text_content()
    assert phone.foreign_requests() == []
