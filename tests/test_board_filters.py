"""The board's filters and search, kept in the address, and long lists shown a page at a time."""
import re

from app.extensions import db
from app.models import Contribution, Process, Suggestion
from app.models.base import utcnow
from tests.test_board import add_idea, board, give_dots  # noqa: F401 (board is a fixture)


def shown(client, board, **query):
    page = client.get(board.url, query_string=query).get_data(as_text=True)
    return {text for text in (i.text for i in vars(board.ideas).values()) if text in page}


def test_filters_and_search(client, app, board):
    ideas = board.ideas
    give_dots(app, board.forum, ideas.bench, 2)
    assert shown(client, board, event=board.workshop.id) == {ideas.jobs.text}
    assert shown(client, board, round=2) == {ideas.bench.text}
    assert shown(client, board, table=3) == {ideas.bench.text}
    assert shown(client, board, language="ar") == {ideas.arabic.text}
    assert shown(client, board, dots=2) == {ideas.bench.text}
    assert shown(client, board, q="SPRACHCAFÉ") == {ideas.cafe.text}
    assert shown(client, board, q="kurse am abend") == {ideas.arabic.text}  # found in its translation
    assert shown(client, board, q="Werbung") == set()  # hidden stays hidden
    assert shown(client, board, event=board.other.id) == set()  # another process's event shows nothing
    assert shown(client, board, round="zwei", dots="") == {i.text for i in (ideas.cafe, ideas.bench, ideas.arabic,
                                                                           ideas.jobs)}
    page = client.get(board.url, query_string={"q": "bänke", "round": 2}).get_data(as_text=True)
    assert "1 Idee" in page and "Filter zurücksetzen" in page
    move_url = f"/organise/processes/{board.process.id}/board/ideas/{ideas.bench.uuid}/move"
    assert f'action="{move_url}?round=2&amp;q=b%C3%A4nke"' in page


def test_filters_by_origin_and_by_how_sure_the_suggestion_is(client, app, board):
    ideas = board.ideas
    with app.app_context():
        db.session.get(Contribution, ideas.jobs.id).origin = "host"
        db.session.add(Suggestion(contribution_id=ideas.cafe.id, action_field_id=board.fields[0], confidence=0.93))
        db.session.add(Suggestion(contribution_id=ideas.bench.id, action_field_id=board.fields[1], confidence=0.62))
        process = db.session.get(Process, board.process.id)
        process.suggestions_computed_at, process.suggestions_stale_at = utcnow(), None  # kept as they are
        db.session.commit()
    assert shown(client, board, origin="host") == {ideas.jobs.text}
    assert shown(client, board, origin="nonsense") == {i.text for i in (ideas.cafe, ideas.bench, ideas.arabic, ideas.jobs)}
    assert shown(client, board, sure=90) == {ideas.cafe.text}
    assert shown(client, board, sure=60) == {ideas.cafe.text, ideas.bench.text}
    page = client.get(board.url, query_string={"origin": "host", "sure": 60}).get_data(as_text=True)
    assert '<option value="host" selected>' in page and '<option value="60" selected>' in page  # kept in the address
    assert "origin=host" in page and "sure=60" in page


def test_a_long_column_shows_its_first_cards_and_the_rest_on_demand(app, client, board):
    for n in range(95):
        add_idea(app, board.forum, f"Idee Nummer {n:03d}")
    first = client.get(board.url).get_data(as_text=True)
    unsorted = first.split('id="column-unsorted"')[1].split('id="column-field-')[0]
    assert unsorted.count('class="idea board-card"') == 40 and "Weitere 40 Ideen zeigen" in unsorted
    assert re.search(r"data-count>99<", unsorted)  # the count is of all of them (95 and the four of the fixture)
    more_url = re.search(r'data-more-url="([^"]+)"', unsorted).group(1).replace("&amp;", "&")
    second = client.get(more_url).get_data(as_text=True)
    assert second.count('class="idea board-card"') == 40 and "Weitere 19 Ideen zeigen" in second
    third = client.get(re.search(r'data-more-url="([^"]+)"', second).group(1).replace("&amp;", "&"))
    assert third.get_data(as_text=True).count('class="idea board-card"') == 19
    assert "data-more-url" not in third.get_data(as_text=True)
    cards = re.findall(r'id="idea-([0-9a-f-]+)"', unsorted + second + third.get_data(as_text=True))
    assert len(set(cards)) == 99  # each idea once
    # Without script: the board again with one more page in every list.
    assert client.get(f"{board.url}?more=3").get_data(as_text=True).count('class="idea board-card"') >= 99
    assert client.get(f"{board.url}/cards?target=cluster-99999").status_code == 404
    # The filters hold for "show more" too.
    filtered = client.get(f"{board.url}/cards?target=unsorted&offset=0&q=Nummer%20001").get_data(as_text=True)
    assert filtered.count('class="idea board-card"') == 1
