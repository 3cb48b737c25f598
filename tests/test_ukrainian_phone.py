"""A phone set to Ukrainian goes through join, table, idea, vote and "my ideas" in Ukrainian."""
import re
from html.parser import HTMLParser

from app.extensions import db
from app.models import Event, Round
from tests.test_interpret import start_round

HEADERS = {"Accept-Language": "uk-UA,uk;q=0.9"}
# Words of the German interface that must not show on a Ukrainian page (user content aside).
GERMAN_WORDS = re.compile(r"\b(Idee|Ideen|Tisch|Runde|Punkte?|Sprache|Mitmachen|Abstimmung|Meine|Ihre|Zurück)\b")


class VisibleText(HTMLParser):
    """The page's visible text outside elements that carry another language than the page's."""

    def __init__(self):
        super().__init__()
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "source", "hr"):
            return
        lang = dict(attrs).get("lang")
        outside = bool(self.stack and self.stack[-1]) or (lang is not None and lang not in ("uk", ""))
        self.stack.append(outside or tag in ("script", "style", "title"))

    def handle_endtag(self, tag):
        if tag not in ("br", "img", "input", "meta", "link", "source", "hr") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def interface_text(page: str) -> str:
    parser = VisibleText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def assert_ukrainian(page: str) -> None:
    assert '<html lang="uk" dir="ltr">' in page
    text = interface_text(page)
    assert not GERMAN_WORDS.findall(text), GERMAN_WORDS.findall(text)
    assert re.search("[а-яіїєґ]{4,}", text)


def test_ukrainian_phone_journey(app, make):
    event = make.event(tables=2, rounds=1, languages=("de", "uk"))
    with app.app_context():
        round_ = db.session.get(Round, event.round_ids[0])
        round_.question = {"de": "Was brauchen Neue?", "uk": "Що потрібно новоприбулим?"}
        db.session.commit()
    start_round(app, event.round_ids[0])
    phone = app.test_client()

    join = phone.get(f"/j/{event.code}/1", headers=HEADERS).get_data(as_text=True)
    assert_ukrainian(join)
    assert 'lang="uk" selected value="uk"' in join  # the phone's language, preselected
    response = phone.post(f"/j/{event.code}/1", data={"interface_language": "uk", "writing_language": "uk"},
                          headers=HEADERS)
    assert response.status_code == 303

    table = phone.get(f"/e/{event.code}").get_data(as_text=True)
    assert_ukrainian(table)
    assert 'lang="uk" dir="ltr">Що потрібно новоприбулим?' in table

    response = phone.post(f"/e/{event.code}/ideas", data={"text": "Більше мовних курсів увечері", "key": "u1"})
    assert response.status_code == 303
    table = phone.get(f"/e/{event.code}").get_data(as_text=True)
    assert_ukrainian(table)
    assert "Більше мовних курсів увечері" in table

    with app.app_context():
        db.session.get(Event, event.id).vote_state = "open"
        db.session.commit()
    vote = phone.get(f"/e/{event.code}/vote").get_data(as_text=True)
    assert_ukrainian(vote)
    idea_uuid = re.search(r'id="idea-([0-9a-f-]{36})"', vote).group(1)
    response = phone.post(f"/e/{event.code}/vote/{idea_uuid}/give")
    assert response.status_code == 303
    vote = phone.get(f"/e/{event.code}/vote").get_data(as_text=True)
    assert_ukrainian(vote)
    assert "●" in vote

    return_link = re.search(r'href="(/r/[^"]+)"', table).group(1)
    mine = phone.get(return_link).get_data(as_text=True)
    assert_ukrainian(mine)
    assert "Більше мовних курсів увечері" in mine
