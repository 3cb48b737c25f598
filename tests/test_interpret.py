"""Translating ideas both ways: interpreters' queue, hosts, what phones, board and exports show."""
import io
from datetime import timedelta

import openpyxl
import pytest

from app.extensions import db
from app.models import Contribution, ContributionTranslation, Membership, Round
from app.models.base import utcnow

ARABIC_IDEA = "دورات لغة مسائية للعاملين في المدينة"
GERMAN_IDEA = "Mehr Sprachkurse am Abend für Berufstätige in der Stadt"
TURKISH_IDEA = "Akşamları çalışanlar için daha fazla dil kursu olmalı"


def start_round(app, round_id):
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        round_.state, round_.started_at = "running", utcnow()
        round_.ends_at = round_.started_at + timedelta(minutes=20)
        round_.event.revision += 1
        db.session.commit()


def phone(app, code, table, language):
    """A phone that joined at table `table` with `language` as interface and writing language."""
    client = app.test_client()
    response = client.post(f"/j/{code}/{table}", data={"interface_language": language, "writing_language": language})
    assert response.status_code == 303
    return client


def post_idea(client, code, text, key):
    response = client.post(f"/e/{code}/ideas", data={"text": text, "key": key}, headers={"Accept": "application/json"})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["idea"]["uuid"]


@pytest.fixture
def cafe(app, make):
    """Round 1 running; at table 1 an Arabic and a German phone, at table 2 a Turkish phone."""
    event = make.event(tables=2, rounds=2, languages=("de", "ar", "tr"))
    start_round(app, event.round_ids[0])
    arabic, german, turkish = phone(app, event.code, 1, "ar"), phone(app, event.code, 1, "de"), phone(app, event.code, 2, "tr")
    event.arabic_phone, event.german_phone = arabic, german
    event.arabic_idea = post_idea(arabic, event.code, ARABIC_IDEA, "a1")
    event.german_idea = post_idea(german, event.code, GERMAN_IDEA, "g1")
    event.turkish_idea = post_idea(turkish, event.code, TURKISH_IDEA, "t1")
    return event


@pytest.fixture
def interpreter(app, make, login, cafe):
    """An interpreter for Arabic in the café's process, logged in on the test client."""
    user = make.user("dolmetsch@example.org", roles=[(cafe.process_id, "interpreter")])
    with app.app_context():
        membership = db.session.scalar(db.select(Membership).filter_by(user_id=user.id))
        membership.languages = ["ar"]
        db.session.commit()
    login(user)
    return user


def test_queue_shows_only_the_interpreters_languages(client, cafe, interpreter):
    page = client.get(f"/interpret/events/{cafe.id}").get_data(as_text=True)
    assert ARABIC_IDEA in page  # waits for German
    assert GERMAN_IDEA in page  # an Arabic reader sits at its table
    assert TURKISH_IDEA not in page  # not this interpreter's language
    assert client.post(f"/interpret/events/{cafe.id}/ideas/{cafe.turkish_idea}/de",
                       data={f"{cafe.turkish_idea}-de-text": "Übersetzt"}).status_code == 404


def test_arabic_idea_translated_by_interpreter_shows_in_german_on_board_and_export(app, client, make, login, cafe,
                                                                                      interpreter):
    response = client.post(f"/interpret/events/{cafe.id}/ideas/{cafe.arabic_idea}/de",
                           data={f"{cafe.arabic_idea}-de-text": "Abendsprachkurse für Berufstätige"})
    assert response.status_code == 303
    queue = client.get(f"/interpret/events/{cafe.id}").get_data(as_text=True)
    assert ARABIC_IDEA not in queue  # done, no longer waiting
    with app.app_context():
        row = db.session.scalar(db.select(ContributionTranslation).filter_by(language="de"))
        assert (row.machine, row.made_by, row.translator.email) == (False, "dolmetsch@example.org",
                                                                    "dolmetsch@example.org")

    organiser = make.user("orga@example.org", roles=[(cafe.process_id, "organiser")])
    client.post("/auth/logout")
    login(organiser)
    board = client.get(f"/organise/processes/{cafe.process_id}/board").get_data(as_text=True)
    card = board[board.index(f'id="idea-{cafe.arabic_idea}"'):]
    card = card[:card.index("</li>")]
    assert card.index("Abendsprachkurse für Berufstätige") < card.index(ARABIC_IDEA)  # German first
    assert 'lang="de"' in card and 'lang="ar" dir="rtl"' in card
    export = client.get(f"/organise/events/{cafe.id}/results?format=xlsx&lang=de")
    sheet = openpyxl.load_workbook(io.BytesIO(export.data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert any(ARABIC_IDEA in row and "Abendsprachkurse für Berufstätige" in row for row in rows)

    # In the goal tree's exports too: the German text, the original beside it.
    from app.models import Process
    from app.services.goals import goaltree

    with app.app_context():
        process = db.session.get(Process, cafe.process_id)
        root = goaltree.ensure_tree(process)
        idea = db.session.scalar(db.select(Contribution).filter_by(text=ARABIC_IDEA))
        goaltree.node_from_ideas(root.children[0], [idea], "Sprachkurse am Abend")
        db.session.commit()
    tree = client.get(f"/organise/processes/{cafe.process_id}/goal-tree/export?format=xlsx&lang=de")
    ideas = [list(row) for row in openpyxl.load_workbook(io.BytesIO(tree.data))["Ideen"].iter_rows(values_only=True)]
    assert ideas[1][2:5] == ["Abendsprachkurse für Berufstätige", ARABIC_IDEA, "العربية"]


def test_german_idea_translated_into_arabic_reaches_the_arabic_phone_marked(app, client, cafe, interpreter):
    before = cafe.arabic_phone.get(f"/e/{cafe.code}").get_data(as_text=True)
    assert GERMAN_IDEA in before and "ترجمة" not in before
    client.post(f"/interpret/events/{cafe.id}/ideas/{cafe.german_idea}/ar",
                data={f"{cafe.german_idea}-ar-text": "دورات لغة مسائية أكثر"})
    page = cafe.arabic_phone.get(f"/e/{cafe.code}").get_data(as_text=True)
    shown = page.index("دورات لغة مسائية أكثر")
    assert page.index('lang="ar" dir="rtl">دورات لغة مسائية أكثر') < page.index(GERMAN_IDEA)
    assert "مترجم" in page[shown:shown + 600]  # "übersetzt", in Arabic
    original = page[shown:page.index(GERMAN_IDEA) + len(GERMAN_IDEA)]
    assert "<details" in original and 'lang="de"' in original  # the original one tap away
    # The German phone at the same table still reads the original only.
    german = cafe.german_phone.get(f"/e/{cafe.code}").get_data(as_text=True)
    assert "دورات لغة مسائية أكثر" not in german


def test_where_no_translation_into_their_language_exists_readers_get_german(app, client, cafe, interpreter):
    client.post(f"/interpret/events/{cafe.id}/ideas/{cafe.arabic_idea}/de",
                data={f"{cafe.arabic_idea}-de-text": "Abendsprachkurse für Berufstätige"})
    english = phone(app, cafe.code, 1, "en")
    page = english.get(f"/e/{cafe.code}").get_data(as_text=True)
    assert 'lang="de" dir="ltr">Abendsprachkurse für Berufstätige' in page
    assert "translated" in page and ARABIC_IDEA in page  # labelled, original behind it


def test_vote_page_reads_in_the_readers_language(app, client, cafe, interpreter):
    client.post(f"/interpret/events/{cafe.id}/ideas/{cafe.german_idea}/ar",
                data={f"{cafe.german_idea}-ar-text": "دورات لغة مسائية أكثر"})
    with app.app_context():
        from app.models import Event

        db.session.get(Event, cafe.id).vote_state = "open"
        db.session.commit()
    page = cafe.arabic_phone.get(f"/e/{cafe.code}/vote").get_data(as_text=True)
    assert 'lang="ar" dir="rtl">دورات لغة مسائية أكثر' in page and "مترجم" in page


def test_a_human_translation_is_never_overwritten_by_a_machine(app, cafe):
    from app.services.multilingual import translations

    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(text=ARABIC_IDEA))
        translations.save(idea, "de", "Von einem Menschen", made_by="Dolmetscherin")
        assert translations.save_machine(idea, "de", "Von einer Maschine", engine="LibreTranslate") is None
        db.session.commit()
        assert idea.translation("de") == "Von einem Menschen"
        # The other way round, a person corrects the machine.
        translations.save_machine(idea, "en", "By a machine", engine="LibreTranslate")
        translations.save(idea, "en", "By a person", made_by="Dolmetscherin")
        row = idea.translation_row("en")
        assert (row.text, row.machine) == ("By a person", False)


def test_queue_flags_an_idea_whose_language_looks_wrong(app, client, cafe, interpreter):
    # Written in German, but the writer left the writing language at Arabic.
    post_idea(cafe.arabic_phone, cafe.code, "Wir brauchen mehr Kitaplätze in der Innenstadt", "a2")
    page = client.get(f"/interpret/events/{cafe.id}").get_data(as_text=True)
    flagged = page[page.index("Wir brauchen mehr Kitaplätze"):]
    assert "scheint" in flagged[:800] and "Deutsch" in flagged[:800]
    first = page[page.index(ARABIC_IDEA):page.index(ARABIC_IDEA) + 600]
    assert "scheint" not in first


def test_interpreters_of_another_process_see_nothing(app, client, make, login, cafe):
    other = make.process("Anderer Prozess")
    login(make.user("fremd@example.org", roles=[(other.id, "interpreter")]))
    assert client.get(f"/interpret/events/{cafe.id}").status_code == 403
    assert client.post(f"/interpret/events/{cafe.id}/ideas/{cafe.arabic_idea}/de",
                       data={f"{cafe.arabic_idea}-de-text": "x"}).status_code == 403


def test_organiser_gives_an_interpreter_languages(app, client, make, login, cafe):
    helper = make.user("sprache@example.org", roles=[(cafe.process_id, "interpreter")])
    login(make.user("orga@example.org", roles=[(cafe.process_id, "organiser")]))
    url = f"/interpret/processes/{cafe.process_id}/interpreters"
    page = client.get(url).get_data(as_text=True)
    assert "sprache@example.org" in page
    with app.app_context():
        membership = db.session.scalar(db.select(Membership).filter_by(user_id=helper.id))
        membership_id = membership.id
    response = client.post(url, data={"membership": membership_id, f"m{membership_id}-languages": ["tr", "uk"]})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Membership, membership_id).languages == ["tr", "uk"]
    client.post("/auth/logout")
    login(helper)
    queue = client.get(f"/interpret/events/{cafe.id}").get_data(as_text=True)
    assert TURKISH_IDEA in queue and ARABIC_IDEA not in queue


def test_host_types_a_translation_next_to_a_tablecloth_line(app, client, make, login, cafe):
    token = cafe.host_tokens[0]
    page = client.get(f"/h/{token}", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    capture = page[page.index('id="capture"'):]
    assert 'lang="ar" selected value="ar"' in capture[:capture.index("</select>")]  # the page's language
    response = client.post(f"/h/{token}/ideas/{cafe.arabic_idea}/translation",
                           data={f"translation-{_idea_id(app, cafe.arabic_idea)}-language": "de",
                                 f"translation-{_idea_id(app, cafe.arabic_idea)}-text": "Abendkurse"})
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalar(db.select(ContributionTranslation).filter_by(language="de"))
        assert (row.text, row.machine, row.translator_id, row.made_by) == ("Abendkurse", False, None, "host:1")
    # Staff read who made it in their own language.
    organiser = make.user("orga@example.org", roles=[(cafe.process_id, "organiser")])
    login(organiser)
    page = client.get(f"/interpret/events/{cafe.id}/ideas/{cafe.arabic_idea}/de").get_data(as_text=True)
    assert "Gastgeber·in von Tisch 1" in page
    # A host of the other table cannot translate this table's idea.
    assert client.post(f"/h/{cafe.host_tokens[1]}/ideas/{cafe.arabic_idea}/translation",
                       data={"x-text": "y"}).status_code == 404


def _idea_id(app, uuid):
    from uuid import UUID

    with app.app_context():
        return db.session.scalar(db.select(Contribution.id).filter_by(uuid=UUID(uuid)))


def test_hidden_and_merged_ideas_cannot_be_translated(app, client, cafe, interpreter):
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(text=ARABIC_IDEA))
        idea.hidden_at = utcnow()
        db.session.commit()
    url = f"/interpret/events/{cafe.id}/ideas/{cafe.arabic_idea}/de"
    assert client.get(url).status_code == 404
    assert client.post(url, data={f"{cafe.arabic_idea}-de-text": "x"}).status_code == 404
    assert ARABIC_IDEA not in client.get(f"/interpret/events/{cafe.id}").get_data(as_text=True)


def test_an_interpreter_without_languages_translates_nothing(app, client, make, login, cafe):
    login(make.user("neu@example.org", roles=[(cafe.process_id, "interpreter")]))
    assert client.post(f"/interpret/events/{cafe.id}/ideas/{cafe.german_idea}/de-x-simple",
                       data={f"{cafe.german_idea}-de-x-simple-text": "Einfach"}).status_code == 404
    assert GERMAN_IDEA not in client.get(f"/interpret/events/{cafe.id}").get_data(as_text=True)


def test_who_made_a_translation_fits_however_long_the_address(app, make, cafe):
    from app.models import User
    from app.services.multilingual import translations

    long_address = "a" * 200 + "@example.org"
    make.user(long_address, roles=[(cafe.process_id, "organiser")])
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution).filter_by(text=ARABIC_IDEA))
        translations.save(idea, "de", "Abendkurse", translator=db.session.scalar(db.select(User).filter_by(email=long_address)))
        db.session.commit()
        assert len(idea.translation_row("de").made_by) == 120
