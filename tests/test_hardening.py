"""Bad input refused as a class: redirect targets, ids out of range, characters that are no text,
deep goal trees and large imports, links that follow the Host header, spreadsheets and idempotency."""
import pytest

from app.extensions import db
from app.models import Contribution, Participant
from tests.test_participate import join, post_idea, start_round

HUGE = "99999999999999999999"  # over SQLite's 2^63 as well as PostgreSQL's 2^31


@pytest.fixture
def event(make, app):
    event = make.event(tables=3, rounds=2)
    start_round(app, event.round_ids[0])
    return event


@pytest.fixture
def organiser(make, login, event):
    user = make.user("orga@example.org", roles=[(event.process_id, "organiser")])
    login(user)
    return user


# --- redirect targets -------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/%09/evil.test", "/\t/evil.test", "/%0A/x", "/\n/x", "/%0D%0A/x", "/%00/evil.test", "//evil.test",
    "/%2F/evil.test", "/%5Cevil.test", "/\\evil.test", "\\\\evil.test", "https://evil.test/",
    "javascript:alert(1)", "/%252F%252Fevil.test/x:y", "evil.test", "http:/evil.test",
])
def test_the_language_switch_never_leaves_the_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/" or location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location.replace("%252F%252Fevil", "")  # a harmless double-encoded path may stay


def test_the_language_switch_keeps_a_path_of_this_site(client):
    response = client.get("/lang/en", query_string={"next": "/e/ABC?x=1#top"})
    assert response.headers["Location"] == "/e/ABC?x=1#top"


def test_login_passes_only_a_path_of_this_site_on(client, make):
    user = make.user("orga@example.org")
    for target, expected in (("/%09/evil.test", "/organise/"), ("/organise/?x=1", "/organise/?x=1")):
        client.post("/auth/logout")
        response = client.post("/auth/login", data={"email": user.email, "password": user.password,
                                                    "next": target})
        assert response.headers["Location"] == expected


# --- integers out of range --------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    f"/organise/processes/{HUGE}", "/organise/processes/2147483648", f"/organise/events/{HUGE}/edit",
    f"/moderate/events/{HUGE}", f"/j/CODE/{HUGE}",
])
def test_ids_out_of_range_in_paths_are_a_404(client, organiser, path):
    assert client.get(path).status_code == 404


def test_numbers_out_of_range_in_query_and_form_are_ignored_or_refused(client, app, make, organiser, event):
    assert client.get(f"/moderate/events/{event.id}/ideas?round={HUGE}").status_code == 200
    assert client.get(f"/organise/processes/{event.process_id}/board?round={HUGE}").status_code == 200
    assert client.get(f"/h/{event.host_tokens[0]}?round={HUGE}").status_code == 200
    response = client.post(f"/organise/processes/{event.process_id}/candidates/1/adopt", data={"field": HUGE})
    assert response.status_code == 404
    response = client.post(f"/organise/processes/{event.process_id}/board/move",
                           data={"to": f"field-{HUGE}", "selected": "x"})
    assert response.status_code < 500
    response = client.post(f"/moderate/events/{event.id}/rotation/rounds/{event.round_ids[1]}/move",
                           data={"participant": HUGE, "table": HUGE})
    assert response.status_code < 500



@pytest.mark.parametrize("number", ["²", "9" * 5000, HUGE, "-1", "abc"])
def test_numbers_python_reads_oddly_are_no_500(client, app, event, number):
    join(client, event.code, table=1)
    response = post_idea(client, event.code, f"Mehr Bänke {number[:3]}", key=f"k-{number[:3]}", round_id=number)
    assert response.status_code == 201  # saved in the round that is running
    default = client.get(f"/e/{event.code}/qr.png").get_data()
    response = client.get(f"/e/{event.code}/qr.png", query_string={"size": number})
    assert response.status_code == 200 and response.get_data() == default


def test_a_qr_code_is_at_most_forty_dots_a_box(client, event):
    default = client.get(f"/e/{event.code}/qr.png").get_data()
    assert client.get(f"/e/{event.code}/qr.png", query_string={"size": "400"}).get_data() == default
    assert client.get(f"/e/{event.code}/qr.png", query_string={"size": "12"}).get_data() != default


def test_the_command_line_reads_an_odd_process_number_as_no_such_process(make, runner):
    user = make.user("orga@example.org")
    result = runner.invoke(args=["users", "grant", user.email, "²", "organiser"])
    assert result.exit_code == 1 and not isinstance(result.exception, ValueError)

# --- characters that are no text --------------------------------------------------------------

def test_nul_and_control_characters_are_stripped_from_what_phones_send(client, app, event):
    join(client, event.code, table=1, nickname="Ana\x00\x07")
    response = post_idea(client, event.code, "Mehr\x00 Bänke\x1b im Park\r\n\tbitte")
    assert response.status_code == 201
    with app.app_context():
        assert db.session.scalar(db.select(Contribution.text)) == "Mehr Bänke im Park\r\n\tbitte"
        assert db.session.scalar(db.select(Participant.nickname)) in (None, "Ana")


def test_a_lone_surrogate_is_stripped(client, app, event):
    join(client, event.code, table=1)
    body = "text=Park%ED%A0%80bank&key=k-9"  # what a lax encoder makes of "\ud800"
    response = client.post(f"/e/{event.code}/ideas", data=body, headers={"Accept": "application/json"},
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201
    with app.app_context():
        assert "\ud800" not in db.session.scalar(db.select(Contribution.text))


@pytest.mark.parametrize("path", ["/e/A%00B", "/h/x%00y", "/r/%0A", "/j/%00"])
def test_control_characters_in_a_path_are_a_404(client, path):
    assert client.get(path).status_code == 404


def test_json_bodies_hold_text_only(app):
    from flask import request

    with app.test_request_context("/", method="POST", json={"t\u0000": ["a\u0000b", {"k": "\ud800c\u001b"}], "n": 1}):
        assert request.get_json() == {"t": ["ab", {"k": "c"}], "n": 1}


def test_nul_in_a_query_string_is_harmless(client, organiser, event):
    response = client.get(f"/organise/processes/{event.process_id}/board", query_string={"q": "a\x00b"})
    assert response.status_code == 200


# --- goal tree depth and import sizes ---------------------------------------------------------

def _chain(app, process_id, levels):
    """The tree of the process with a chain of Ziel nodes below its first action field, `levels`
    deep in all (the Leitziel is level 1); the UUIDs of the chain, top first."""
    from app.models import Process
    from app.services.goals import goaltree

    with app.app_context():
        process = db.session.get(Process, process_id)
        node = goaltree.ensure_tree(process).children[0]
        chain = [node]
        while goaltree.depth_of(chain[-1]) < levels:
            chain.append(goaltree.add_node(chain[-1], "ziel", f"Ebene {len(chain) + 2}"))
        db.session.commit()
        return [str(n.uuid) for n in chain]


def test_no_node_is_added_below_the_deepest_level(client, app, organiser, event):
    from app.services.goals.goaltree import MAX_DEPTH

    chain = _chain(app, event.process_id, MAX_DEPTH)
    url = f"/organise/processes/{event.process_id}/goal-tree/nodes"
    response = client.post(f"{url}/{chain[-2]}/children",
                           data={f"add-{chain[-2]}-kind": "massnahme", f"add-{chain[-2]}-title": "Noch erlaubt"})
    assert response.status_code == 303
    response = client.post(f"{url}/{chain[-1]}/children",
                           data={f"add-{chain[-1]}-kind": "massnahme", f"add-{chain[-1]}-title": "Zu tief"})
    assert response.status_code == 400
    assert f"höchstens {MAX_DEPTH} Ebenen" in response.get_data(as_text=True)
    page = client.get(f"/organise/processes/{event.process_id}/goal-tree").get_data(as_text=True)
    assert f"add-{chain[-2]}-title" in page and f"add-{chain[-1]}-title" not in page  # no form that must fail
    assert "darunter lässt sich nichts mehr anlegen" in page


def test_no_subtree_is_moved_below_the_deepest_level(client, app, organiser, event):
    from app.services.goals.goaltree import MAX_DEPTH

    chain = _chain(app, event.process_id, MAX_DEPTH - 1)
    # A second branch of two levels (a goal with a goal below) fits under the chain's second-last
    # node, not under its last.
    url = f"/organise/processes/{event.process_id}/goal-tree/nodes"
    _field, branch, below_branch = _chain(app, event.process_id, 4)
    response = client.post(f"{url}/{chain[2]}/move", data={"parent": chain[-1]},
                           headers={"Accept": "application/json"})
    assert response.status_code == 409  # under itself: the older check still answers first
    response = client.post(f"{url}/{branch}/move", data={"parent": chain[-1]},
                           headers={"Accept": "application/json"})
    assert response.status_code == 409 and f"höchstens {MAX_DEPTH} Ebenen" in response.get_json()["error"]
    response = client.post(f"{url}/{branch}/move", data={"parent": chain[-2]},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    # The move page offers only what fits: a leaf goes under the branch (level 8), not below it (9).
    page = client.get(f"{url}/{chain[-1]}/move").get_data(as_text=True)
    assert f'value="{branch}"' in page and f'value="{below_branch}"' not in page


def _nested(levels):
    node = {"uuid": "00000000-0000-4000-8000-000000000001", "kind": "massnahme", "status": "planned",
            "title": {"de": "Tief"}, "children": []}
    for _ in range(levels - 2):
        node = {**node, "kind": "ziel", "children": [node]}
    return {**node, "kind": "leitziel", "children": [node]}


def test_an_import_too_deep_or_too_large_is_refused_with_a_message(app, runner, tmp_path):
    import json

    from app.exports import importing
    from app.models import GoalNode
    from app.services.goals.goaltree import MAX_DEPTH
    from app.services.goals.snapshots import SCHEMA, VERSION

    def document(root):
        return {"schema": SCHEMA, "version": VERSION, "process": {"title": "Import"}, "action_fields": [],
                "nodes": [root]}

    path = tmp_path / "deep.json"
    path.write_text(json.dumps(document(_nested(MAX_DEPTH + 1))))
    result = runner.invoke(args=["import", "goal-tree", str(path)])
    assert result.exit_code == 1 and f"höchstens {MAX_DEPTH} Ebenen" in result.output
    wide = _nested(2)
    wide["children"] = [dict(wide["children"][0]) for _ in range(importing.MAX_IMPORT_ITEMS + 1)]
    path.write_text(json.dumps(document(wide)))
    result = runner.invoke(args=["import", "goal-tree", str(path)])
    assert result.exit_code == 1 and "zu groß" in result.output
    path.write_text("[" * 100_000 + "]" * 100_000)  # nested past Python's recursion limit
    result = runner.invoke(args=["import", "goal-tree", str(path)])
    assert result.exit_code == 1 and "not a JSON file" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(GoalNode.id))) == 0
    path.write_text(json.dumps(document(_nested(MAX_DEPTH))))
    assert runner.invoke(args=["import", "goal-tree", str(path)]).exit_code == 0


def test_an_import_over_the_byte_limit_is_refused_before_reading_it(app, runner, tmp_path, monkeypatch):
    from app.exports import importing

    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 1000)
    monkeypatch.setattr("app.exports.cli.MAX_IMPORT_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(" " * 2000 + "{}")
    result = runner.invoke(args=["import", "goal-tree", str(path)])
    assert result.exit_code == 1 and "zu groß" in result.output


def test_a_request_over_max_content_length_gets_a_translated_page(client, app, event):
    join(client, event.code, table=1)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    client.set_cookie("lang", "en")
    response = client.post(f"/e/{event.code}/ideas", data={"text": "x" * 5000})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True) or "zu groß" in response.get_data(as_text=True)
    assert "<html" in response.get_data(as_text=True).lower()


# --- the public address, trusted hosts and QR codes -------------------------------------------

def test_production_refuses_to_start_without_a_public_base_url():
    from app import create_app
    from config import ProductionConfig

    settings = {"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    for missing in ("", "cafe.stadt.example"):
        with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
            create_app(type("P", (ProductionConfig,), {**settings, "PUBLIC_BASE_URL": missing}))


def test_trusted_hosts_default_to_the_public_address():
    from config import trusted_hosts

    assert trusted_hosts("", "https://cafe.stadt.example:8443") == ["cafe.stadt.example", "127.0.0.1", "localhost"]
    assert trusted_hosts("a.example, .b.example", "https://cafe.stadt.example")[:2] == ["a.example", ".b.example"]
    assert trusted_hosts("", "") is None  # a laptop in a hall, reached by its address


def test_a_request_naming_another_host_is_refused_and_links_never_follow_it(other_app, make):
    event = make.event(tables=2)
    app = other_app(PUBLIC_BASE_URL="https://cafe.stadt.example",
                    TRUSTED_HOSTS=["cafe.stadt.example", "127.0.0.1", "localhost"])
    client = app.test_client()
    assert client.get(f"/j/{event.code}", headers={"Host": "evil.test"}).status_code == 400
    page = client.get(f"/j/{event.code}", headers={"Host": "localhost"}).get_data(as_text=True)
    assert f"https://cafe.stadt.example/j/{event.code}" in page
    assert client.get("/healthz", base_url="http://127.0.0.1:8000").status_code == 200  # health checks
    forwarded = other_app(PUBLIC_BASE_URL="https://cafe.stadt.example", TRUSTED_PROXIES=1,
                          TRUSTED_HOSTS=["cafe.stadt.example"]).test_client()
    response = forwarded.get(f"/j/{event.code}", headers={"X-Forwarded-Host": "evil.test"})
    assert response.status_code == 400


def test_qr_codes_are_cached_privately_only(client, event):
    for path in (f"/e/{event.code}/qr.png", f"/e/{event.code}/qr.svg", f"/e/{event.code}/tables/1/qr.svg"):
        response = client.get(path)
        assert response.status_code == 200
        assert "private" in response.headers["Cache-Control"] and "public" not in response.headers["Cache-Control"]


# --- spreadsheets -----------------------------------------------------------------------------

def test_the_german_csv_has_no_formula_for_a_program_that_splits_on_commas(client, app, organiser, event):
    import csv
    import io

    from app.models import Process
    from app.services.goals import goaltree

    with app.app_context():
        field = goaltree.ensure_tree(db.session.get(Process, event.process_id)).children[0]
        goaltree.add_node(field, "ziel", 'Mehr Bänke, =HYPERLINK("http://evil.test";"Klick")',
                          description="Parks,@SUM(A1), +1, -2,\t=1", responsible=["Amt, =1+1"])
        db.session.commit()
    for language, separator in (("de", ";"), ("en", ",")):
        data = client.get(f"/organise/processes/{event.process_id}/goal-tree/export",
                          query_string={"format": "csv", "lang": language}).data.decode("utf-8-sig")
        assert "Mehr Bänke, '=HYPERLINK" in data  # the text kept, marked where a formula could start
        for delimiter in (separator, ","):
            for row in csv.reader(io.StringIO(data), delimiter=delimiter):
                for cell in row:
                    assert not cell.lstrip(' \t\r\n"').startswith(("=", "@", "+")), (language, delimiter, cell)


# --- idempotency keys -------------------------------------------------------------------------

def test_an_idempotency_key_finds_only_its_authors_idea(app, event):
    alice, bob = app.test_client(), app.test_client()
    join(alice, event.code, table=1)
    join(bob, event.code, table=2)
    first = post_idea(alice, event.code, "Alices Idee", key="same-key")
    second = post_idea(bob, event.code, "Bobs Idee", key="same-key")
    assert first.status_code == second.status_code == 201
    assert second.get_json()["idea"]["uuid"] != first.get_json()["idea"]["uuid"]
    assert "Alices Idee" not in second.get_data(as_text=True)
    again = post_idea(bob, event.code, "Bobs Idee", key="same-key")  # a resend still stores it once
    assert again.get_json()["idea"]["uuid"] == second.get_json()["idea"]["uuid"]
    long_key = "k" * 200
    assert post_idea(alice, event.code, "Lang", key=long_key).status_code == 201
    assert post_idea(bob, event.code, "Lang", key=long_key).status_code == 201
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Contribution.id))) == 4


def test_a_hosts_key_never_finds_another_tables_lines(app, event):
    first, second = app.test_client(), app.test_client()
    for client, token in ((first, event.host_tokens[0]), (second, event.host_tokens[1])):
        response = client.post(f"/h/{token}/ideas", data={"text": f"Zeile von {token[:4]}", "key": "cloth"})
        assert response.status_code in (302, 303), response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Contribution.id))) == 2
