"""Seating by language (issue 20): hosts' languages, interpreters at tables per round, the rotation
that keeps people who need interpretation where their language is spoken, and the phones' choice.
"""
import random
import re
from collections import Counter

import pytest

from app.extensions import db
from app.models import CafeTable, InterpreterAssignment, Membership, Participant, Seat
from app.models.base import utcnow
from app.services.cafe.rotation import propose

JSON = {"Accept": "application/json"}
ARABIC, PERSIAN = "العربية", "فارسی"


# The algorithm: a need comes before repeats, balance before a need

def test_a_need_outweighs_meeting_someone_again():
    history = [{1: 10, 2: 10, 3: 20, 4: 20}]  # 1 and 2 met at table 10, the only Arabic one
    needs, coverage = {1: "ar", 2: "ar"}, {10: {"ar"}, 20: set()}
    plain = propose(history, [1, 2, 3, 4], [10, 20])
    assert plain.seats[1] != plain.seats[2] and plain.repeats == 0
    assert (plain.needs_met, plain.needs) == (0, 0)
    kept = propose(history, [1, 2, 3, 4], [10, 20], needs=needs, coverage=coverage)
    assert kept.seats[1] == kept.seats[2] == 10 and kept.repeats == 2  # and 3 and 4, by balance
    assert (kept.needs_met, kept.needs) == (2, 2)


def test_balance_comes_before_a_need_and_an_uncovered_language_binds_nobody():
    guests, tables = list(range(1, 9)), [10, 20]
    needs = {1: "ar", 2: "ar", 3: "ar", 4: "ar", 5: "ar", 6: "ti"}  # nobody speaks Tigrinya here
    proposal = propose([], guests, tables, needs=needs, coverage={10: {"ar"}, 20: {"fa"}})
    assert sorted(Counter(proposal.seats.values()).values()) == [4, 4]
    assert sum(1 for person in range(1, 6) if proposal.seats[person] == 10) == 4
    assert (proposal.needs_met, proposal.needs) == (4, 6)


@pytest.mark.parametrize("seed", range(3))
def test_over_rounds_everyone_with_a_covered_need_stays_with_their_language(seed):
    rng = random.Random(seed)
    guests, tables = list(range(60)), list(range(100, 106))
    coverage = {100: {"ar"}, 101: {"ar", "fa"}, 102: {"fa"}, 103: set(), 104: {"uk"}, 105: set()}
    needs = {guest: rng.choice(["ar", "fa", "uk"]) for guest in rng.sample(guests, 9)}
    history = [{guest: tables[i % 6] for i, guest in enumerate(guests)}]
    for _ in range(3):
        proposal = propose(history, guests, tables, needs=needs, coverage=coverage, seed=seed)
        assert all(needs[g] in coverage[proposal.seats[g]] for g in needs)
        assert max(Counter(proposal.seats.values()).values()) - min(Counter(proposal.seats.values()).values()) <= 1
        assert proposal == propose(history, guests, tables, needs=needs, coverage=coverage, seed=seed)
        history.append(proposal.seats)


# Through HTTP

@pytest.fixture
def event(make):
    return make.event(tables=4, rounds=3)


@pytest.fixture
def organiser(client, make, login, event):
    user = make.user("orga@example.org", roles=[(event.process_id, "organiser")])
    login(user)
    return user


@pytest.fixture
def interpreter(app, make, client, organiser, event):
    """An interpreter of the process who speaks Persian, set on the organisers' page; their membership id."""
    make.user("dolmetsch@example.org", roles=[(event.process_id, "interpreter")])
    with app.app_context():
        membership_id = db.session.scalar(db.select(Membership.id).filter_by(process_id=event.process_id,
                                                                             role="interpreter"))
    response = client.post(f"/interpret/processes/{event.process_id}/interpreters",
                           data={"membership": membership_id, f"m{membership_id}-languages": ["fa"]})
    assert response.status_code == 303
    return membership_id


def edit_table(client, event, number, **data):
    return client.post(f"/organise/events/{event.id}/tables/{event.table_ids[number - 1]}/edit",
                       data={"name": "", **data}, follow_redirects=True)


def assign(client, event, membership_id, tables_by_round):
    """Round index -> table number (None: no table), sent as the organiser's page sends it."""
    data = {"membership": membership_id}
    data.update({f"round-{event.round_ids[r]}": event.table_ids[t - 1] if t is not None else ""
                 for r, t in tables_by_round.items()})
    return client.post(f"/organise/events/{event.id}/interpreters", data=data, follow_redirects=True)


def test_the_organiser_gives_a_table_its_host_and_languages(client, app, event, organiser):
    form = client.get(f"/organise/events/{event.id}/tables/{event.table_ids[0]}/edit").get_data(as_text=True)
    assert 'type="checkbox"' in form and 'value="ar"' in form and 'value="de"' not in form
    page = edit_table(client, event, 1, host_name="Samira  Haddad", host_languages=["fa", "ar"]).get_data(as_text=True)
    assert "Tisch 1 wurde gespeichert." in page and "Samira Haddad" in page
    # In the app's order of languages, each named in itself.
    assert f'<span class="tag" lang="ar" dir="rtl">{ARABIC}</span> <span class="tag" lang="fa" dir="rtl">' in page
    form = client.get(f"/organise/events/{event.id}/tables/{event.table_ids[0]}/edit").get_data(as_text=True)
    assert re.search(r'<input checked [^>]*value="ar">', form)
    refused = client.post(f"/organise/events/{event.id}/tables/{event.table_ids[1]}/edit",
                          data={"name": "", "host_languages": ["xx"]})
    assert refused.status_code == 400 and "Bitte wählen Sie nur Sprachen aus der Liste." in refused.get_data(as_text=True)
    host = app.test_client().get(f"/h/{event.host_tokens[0]}").get_data(as_text=True)
    assert "Gastgeber·in:" in host and "Samira Haddad" in host
    rotation = client.get(f"/moderate/events/{event.id}/rotation").get_data(as_text=True)
    assert "Samira Haddad" in rotation and f'<span class="tag" lang="ar" dir="rtl">{ARABIC}</span>' in rotation
    assert "Samira Haddad" in client.get(f"/moderate/events/{event.id}").get_data(as_text=True)
    added = client.post(f"/organise/events/{event.id}/tables/new",
                        data={"name": "Fenster", "host_name": "Olena", "host_languages": ["uk"]}, follow_redirects=True)
    assert "Tisch 5 wurde hinzugefügt." in added.get_data(as_text=True)
    with app.app_context():
        table = db.session.scalar(db.select(CafeTable).filter_by(event_id=event.id, number=5))
        assert (table.host_name, table.host_languages) == ("Olena", ["uk"])


def test_interpreters_go_to_tables_per_round_and_moderators_only_read(client, app, make, login, event, interpreter):
    page = assign(client, event, interpreter, {0: 2, 1: 3, 2: None}).get_data(as_text=True)
    assert "wurden gespeichert" in page
    with app.app_context():
        rows = db.session.scalars(db.select(InterpreterAssignment).order_by(InterpreterAssignment.round_id)).all()
        assert [(row.round_id, row.table_id) for row in rows] == [(event.round_ids[0], event.table_ids[1]),
                                                                  (event.round_ids[1], event.table_ids[2])]
    assert f"Tisch 2: <span class=\"tag\" lang=\"fa\" dir=\"rtl\">{PERSIAN}</span>" in page
    assign(client, event, interpreter, {1: None})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(InterpreterAssignment)) == 1
    event_page = client.get(f"/organise/events/{event.id}").get_data(as_text=True)
    assert f'href="/organise/events/{event.id}/interpreters"' in event_page
    client.post("/auth/logout")
    login(make.user("moderation@example.org", roles=[(event.process_id, "moderator")]))
    read = client.get(f"/organise/events/{event.id}/interpreters").get_data(as_text=True)
    assert "Runde 1: Tisch 2" in read and 'name="membership"' not in read
    assert assign(client, event, interpreter, {0: 4}).status_code == 403


def test_foreign_interpreters_rounds_and_tables_get_a_clear_message(client, app, make, event, interpreter):
    other = make.event(tables=2, rounds=2)  # another process, with its own interpreter
    make.user("fremd@example.org", roles=[(other.process_id, "interpreter")])
    with app.app_context():
        stranger = db.session.scalar(db.select(Membership.id).filter_by(process_id=other.process_id))
    url = f"/organise/events/{event.id}/interpreters"
    cases = [
        ({"membership": stranger, f"round-{event.round_ids[0]}": event.table_ids[0]}, "nicht für die Sprachmittlung"),
        ({"membership": interpreter, f"round-{other.round_ids[0]}": event.table_ids[0]}, "Diese Runde gibt es"),
        ({"membership": interpreter, f"round-{event.round_ids[0]}": other.table_ids[0]}, "Diesen Tisch gibt es"),
        ({"membership": interpreter, "round-99999999999": event.table_ids[0]}, "Diese Runde gibt es"),
        ({"membership": interpreter, f"round-{event.round_ids[0]}": "vier"}, "Diesen Tisch gibt es"),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 404 and message in response.get_data(as_text=True), data
    assert client.post(url, data={"membership": ""}).status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(InterpreterAssignment)) == 0


def test_interpreter_page_refused_to_phones_and_to_staff_of_another_process(app, client, make, login, event):
    url = f"/organise/events/{event.id}/interpreters"
    phone = app.test_client()
    phone.post(f"/j/{event.code}/1", data={"interface_language": "de", "writing_language": "de"})
    for method in ("get", "post"):
        response = getattr(phone, method)(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    other = make.process("Anderer Prozess")
    login(make.user("fremd@example.org", roles=[(other.id, "organiser")]))
    assert client.get(url).status_code == 403 and client.post(url).status_code == 403
    client.post("/auth/logout")
    login(make.user("dolmetsch@example.org", roles=[(event.process_id, "interpreter")]))
    assert client.get(url).status_code == 403


NAMES = ["Ada", "Ben", "Cem", "Dana", "Emil", "Fatma", "Gül", "Hana", "Ivo", "Jana", "Kofi", "Lea"]
NEEDS = {"Cem": "ar", "Fatma": "ar", "Hana": "fa", "Ivo": "ti"}  # nobody speaks Tigrinya at a table


def seats_in(app, event, index):
    with app.app_context():
        seats = db.session.scalars(db.select(Seat).where(Seat.round_id == event.round_ids[index])).all()
        return {seat.participant.nickname: seat.table.number for seat in seats}


def test_people_with_a_need_sit_where_their_language_is_spoken_in_every_rotated_round(
        client, app, event, organiser, interpreter):
    edit_table(client, event, 1, host_name="Samira", host_languages=["ar"])
    assign(client, event, interpreter, {0: 3, 1: 2, 2: 3})  # Persian at table 3, then 2, then 3 again
    for i, name in enumerate(NAMES):  # round 1 is a free choice: three at each table
        app.test_client().post(f"/j/{event.code}/{[2, 4, 1, 2, 3, 4, 1, 4, 2, 1, 3, 3][i]}",
                               data={"interface_language": "de", "writing_language": "de", "nickname": name})
    with app.app_context():
        for person in db.session.scalars(db.select(Participant).where(Participant.nickname.in_(NEEDS))):
            person.registration_state, person.needs_consented_at = "registered", utcnow()
            person.interpretation_language = NEEDS[person.nickname]
        db.session.commit()
    client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/start", headers=JSON)
    page = client.get(f"/moderate/events/{event.id}/rotation").get_data(as_text=True)
    assert "3 von 4 Personen mit Dolmetschbedarf sitzen an einem Tisch mit ihrer Sprache" in page
    assert page.count("am Tisch gesprochen") == 3 and page.count("an keinem Tisch gesprochen") == 1
    spoken_at = {1: {"ar"}, 2: {"fa"}}  # in round 2
    for index in (1, 2):
        client.post(f"/moderate/events/{event.id}/next", data={"confirmed": "1"}, headers=JSON)
        seating = seats_in(app, event, index)
        assert set(seating) == set(NAMES) and sorted(Counter(seating.values()).values()) == [3, 3, 3, 3]
        for name, language in NEEDS.items():
            if language != "ti":
                assert language in spoken_at.get(seating[name], set()), (index, name, seating)
        spoken_at = {1: {"ar"}, 3: {"fa"}}  # in round 3


def test_the_mark_says_when_someone_is_moved_away_from_their_language(client, app, event, organiser):
    edit_table(client, event, 1, host_languages=["ar"])
    app.test_client().post(f"/j/{event.code}/2", data={"interface_language": "ar", "writing_language": "ar",
                                                       "nickname": "Cem"})
    with app.app_context():
        person = db.session.scalar(db.select(Participant).filter_by(nickname="Cem"))
        person.needs_consented_at, person.interpretation_language = utcnow(), "ar"
        cem = person.id
        db.session.commit()
    client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/start", headers=JSON)
    url = f"/moderate/events/{event.id}/rotation"
    assert "1 von 1 Person mit Dolmetschbedarf sitzt an einem Tisch mit ihrer Sprache" in client.get(url).get_data(
        as_text=True)
    moved = client.post(f"{url}/rounds/{event.round_ids[1]}/move", data={"participant": cem, "table": event.table_ids[3]},
                        follow_redirects=True).get_data(as_text=True)
    assert "0 von 1 Person mit Dolmetschbedarf" in moved and "an diesem Tisch nicht gesprochen" in moved
    assert '<span aria-hidden="true">✗</span>' in moved


def test_phones_choosing_a_table_see_what_is_spoken_there(client, app, event, organiser, interpreter):
    edit_table(client, event, 3, host_languages=["ar", "en"])
    assign(client, event, interpreter, {0: 2, 1: 4})  # round 1, the one people sit down for: table 2
    phone = app.test_client()
    join = phone.get(f"/j/{event.code}").get_data(as_text=True)
    assert f'<li>Tisch 2: Hier wird auch <bdi lang="fa" dir="rtl">{PERSIAN}</bdi> gesprochen.</li>' in join
    assert (f'<li>Tisch 3: Hier wird auch <bdi lang="en" dir="ltr">English</bdi> und '
            f'<bdi lang="ar" dir="rtl">{ARABIC}</bdi> gesprochen.</li>') in join
    assert "Tisch 1: Hier" not in join and "Tisch 4: Hier" not in join
    select = join[re.search(r'<select[^>]*id="table"', join).start():]
    select = select[:select.index("</select>")]
    assert 'aria-describedby="join-table-languages' in select
    assert "selected" not in select  # nothing is chosen for the person, and the order stays
    assert re.findall(r'<option value="(\d+)"', select) == ["0", "1", "2", "3", "4"]
    phone.post(f"/j/{event.code}", data={"interface_language": "de", "writing_language": "de", "table": "0"})
    table_page = phone.get(f"/e/{event.code}").get_data(as_text=True)
    assert 'aria-describedby="choose-table-languages"' in table_page and "<li>Tisch 2: Hier wird auch" in table_page
    phone.post(f"/e/{event.code}/table", data={"table": "2"})
    table_page = phone.get(f"/e/{event.code}").get_data(as_text=True)
    assert 'aria-describedby="switch-table-languages"' in table_page and "<li>Tisch 3: Hier wird auch" in table_page
