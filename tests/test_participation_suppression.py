"""Self-described groups in the participation report: only people who consented, one dimension at a
time, and no group of fewer than 5 people shown or to be worked out by subtraction, on the page, in the
CSV and in the DOCX of every event and of the process.

The events are made awkward on purpose: 4 people in all, 6 that are 5 + 1, a group of 1 in one event
only, an event where nobody described themselves, one where a single person did.
"""
import io
import math
import re
import secrets
from collections import Counter
from itertools import combinations

import docx
import numpy as np
import pytest
from scipy.optimize import linprog

from app.extensions import db
from app.models import Participant, Process
from app.models.base import utcnow
from app.models.participant import AGE_BANDS, GENDERS, MIGRATION_EXPERIENCE
from app.services.reports.participation_groups import LANGUAGES_KEY, MIN_GROUP, PROCESS, TOTAL, self_described
from tests.exports_helpers import read_csv

PARTITIONS = {"gender": GENDERS, "age_band": AGE_BANDS, "migration_experience": MIGRATION_EXPERIENCE}


def _people(*groups):
    """People as (how many, gender, age band, migration experience, languages)."""
    return [(gender, age, migration, languages) for count, gender, age, migration, languages in groups
            for _ in range(count)]


AWKWARD = [
    _people((4, "female", "18_29", "none", ["de", "ar"])),  # 4 in all
    _people((5, "female", "30_44", "own", ["de"]), (1, "male", "30_44", "own", ["de"])),  # 5 + 1
    _people((3, "female", "45_64", "none", ["de"]), (2, "male", "45_64", "none", ["de", "uk"]),
            (1, "male", "65_plus", "family", ["de"])),  # 6, ages 5 + 1
    _people((6, "female", "18_29", "family", ["de"]), (5, "male", "30_44", "none", ["de"]),
            (1, "diverse", "45_64", "own", ["de", "ar"])),  # a 1 found in this event only
    _people((7, "female", "30_44", "none", ["de", "uk"]), (8, "male", "45_64", "family", ["de"]),
            (5, "no_answer", "65_plus", "none", ["ar", "de"]), (3, "female", "under_18", "own", ["uk", "tr"]),
            (2, None, None, None, ["tr"])),  # 25, two who answered only about their languages
    [],  # nobody described themselves
    _people((1, "male", "18_29", "own", ["fa"])),  # one person
]
NOT_CONSENTED = [2, 0, 1, 0, 3, 3, 1]  # people with answers but no consent: never counted


@pytest.fixture
def awkward(app, make):
    process = make.process()
    events = [make.event(process.id, tables=1, rounds=1) for _ in AWKWARD]
    with app.app_context():
        for event, people, others in zip(events, AWKWARD, NOT_CONSENTED):
            for gender, age, migration, languages in people:
                db.session.add(Participant(event_id=event.id, token=secrets.token_hex(16), consented_at=utcnow(),
                                           gender=gender, age_band=age, migration_experience=migration,
                                           languages=languages))
            for _ in range(others):
                db.session.add(Participant(event_id=event.id, token=secrets.token_hex(16), gender="diverse",
                                           age_band="under_18", migration_experience="own", languages=["ar"]))
        db.session.commit()
    login_as = make.user("orga@example.org", roles=[(process.id, "organiser")])
    return process, [event.id for event in events], login_as


def _truth(ids) -> Counter:
    """The true counts by (unit, dimension, category), from the people made above."""
    counts = Counter()
    for event_id, people in zip(ids, AWKWARD):
        for gender, age, migration, languages in people:
            for unit in (PROCESS, event_id):
                counts[(unit, TOTAL, TOTAL)] += 1
                for key, answer in zip(PARTITIONS, (gender, age, migration)):
                    counts[(unit, key, answer or "no_answer")] += 1
                for code in languages:
                    counts[(unit, LANGUAGES_KEY, code)] += 1
    return counts


def _sums(ids, result):
    """Every sum an attentive reader knows: per unit, the people who described themselves are the sum
    of each dimension's categories (not for languages); per figure, the process is the sum of its events."""
    units = [PROCESS, *ids]
    sums = [((PROCESS, TOTAL, TOTAL), [(unit, TOTAL, TOTAL) for unit in ids])]
    for dimension in result.dimensions:
        for category in dimension.categories:
            sums.append(((PROCESS, dimension.key, category), [(unit, dimension.key, category) for unit in ids]))
        if dimension.key in PARTITIONS:
            sums += [((unit, TOTAL, TOTAL), [(unit, dimension.key, category) for category in dimension.categories])
                     for unit in units]
    return sums


def _pinned(result, truth, sums) -> list:
    """Hidden figures of 1–4 whose value the shown ones fix, all sums taken together (as a linear
    programme: the smallest and largest value each can take, counts being at least 0)."""
    keys = list(result.shown)
    index = {key: number for number, key in enumerate(keys)}
    equations = []
    for whole, parts in sums:
        row = np.zeros(len(keys))
        row[index[whole]] = 1
        for part in parts:
            row[index[part]] -= 1
        equations.append(row)
    at_most = []  # nobody names a language who did not describe themselves
    for key in keys:
        if key[1] == LANGUAGES_KEY:
            row = np.zeros(len(keys))
            row[index[key]], row[index[(key[0], TOTAL, TOTAL)]] = 1, -1
            at_most.append(row)
    bounds = [(value, value) if value is not None else (0, None) for value in result.shown.values()]
    pinned = []
    for key, value in result.shown.items():
        if value is None and 1 <= truth[key] < MIN_GROUP:
            goal = np.zeros(len(keys))
            goal[index[key]] = 1
            ends = []
            for sign in (1, -1):
                solved = linprog(sign * goal, A_ub=np.array(at_most), b_ub=np.zeros(len(at_most)),
                                 A_eq=np.array(equations), b_eq=np.zeros(len(equations)), bounds=bounds)
                assert solved.status in (0, 3)  # solved, or unbounded
                ends.append(sign * solved.fun if solved.status == 0 else sign * math.inf)
            low, high = ends
            if high < math.inf and math.ceil(low - 1e-6) >= math.floor(high + 1e-6):
                pinned.append((key, truth[key], low, high))
    return pinned


def test_no_subtraction_of_shown_figures_gives_a_group_of_1_to_4(app, awkward):
    process, ids, _user = awkward
    with app.app_context():
        result = self_described(db.session.get(Process, process.id))
    truth = _truth(ids)
    shown = result.shown
    # The awkward groups are there, and hidden: 4 in all, the 1 of 5 + 1, the single diverse person.
    assert truth[(ids[0], TOTAL, TOTAL)] == 4 and shown[(ids[0], TOTAL, TOTAL)] is None
    assert truth[(ids[1], "gender", "male")] == 1 and shown[(ids[1], "gender", "male")] is None
    assert truth[(PROCESS, "gender", "diverse")] == 1 and shown[(PROCESS, "gender", "diverse")] is None
    assert truth[(ids[6], TOTAL, TOTAL)] == 1 and shown[(ids[6], TOTAL, TOTAL)] is None
    # Shown figures are true, and at least 5.
    assert all(value is None or (value == truth[key] and value >= MIN_GROUP) for key, value in shown.items())
    assert shown[(PROCESS, TOTAL, TOTAL)] == 54 and shown[(ids[4], "gender", "female")] == 10
    # Every subtraction: a shown sum minus any of its shown parts, or a hidden sum as its shown parts.
    sums = _sums(ids, result)
    tried = 0
    for whole, parts in sums:
        visible = [shown[part] for part in parts if shown[part] is not None]
        if shown[whole] is None:
            if len(visible) == len(parts):
                assert not 0 < sum(visible) < MIN_GROUP
            continue
        for size in range(len(visible) + 1):
            for taken in combinations(visible, size):
                tried += 1
                assert not 0 < shown[whole] - sum(taken) < MIN_GROUP, (whole, parts, taken)
    assert tried > 50
    # And all sums at once leave every hidden group of 1–4 open.
    assert _pinned(result, truth, sums) == []
    # Languages named by fewer than 5 in the whole process are not listed (Persian: 1).
    assert [d.categories for d in result.dimensions if d.key == LANGUAGES_KEY] == [("de", "ar", "uk", "tr")]


FIGURE = re.compile(r'class="(?:number )?described-figure">([^<]*)<')


def _figures(html: str) -> list[str]:
    return FIGURE.findall(html)


def test_no_figure_under_5_on_any_page_csv_or_docx(app, client, login, awkward):
    process, ids, organiser = awkward
    login(organiser)
    with app.app_context():
        result = self_described(db.session.get(Process, process.id))
    pages = [(f"/organise/processes/{process.id}/participation", PROCESS)] + [
        (f"/organise/events/{event_id}/participation", event_id) for event_id in ids]
    for url, unit in pages:
        html = client.get(url).get_data(as_text=True)
        figures = _figures(html)
        expected = [result.total(unit)] + [result.figure(unit, d.key, c) for d in result.dimensions
                                           for c in d.categories]
        # The page shows the figures decided for the process as a whole, so pages add nothing up.
        assert figures == ["–" if value is None else str(value) for value in expected]
        assert all(figure == "–" or int(figure) >= MIN_GROUP for figure in figures)
        if None in expected:
            assert "weniger als 5 Personen" in html
        header, *rows = read_csv(client.get(url + "/download?format=csv&lang=de").data, ";")
        described = [row for row in rows if row[0].startswith("Selbstauskünfte")]
        assert len(described) == len(expected)
        assert all((row[2] == "" and row[5] == "ja") or int(row[2]) >= MIN_GROUP for row in described)
        document = docx.Document(io.BytesIO(client.get(url + "/download?format=docx&lang=de").data))
        in_tables = [row.cells[1].text for table in document.tables
                     if [cell.text for cell in table.rows[0].cells] == ["Kategorie", "Personen"]
                     for row in table.rows[1:]]
        total = [p.text.split(": ")[1] for p in document.paragraphs if p.text.startswith("Personen mit Selbstauskunft")]
        assert total + in_tables == ["–" if value is None else str(value) for value in expected]


def test_people_without_consent_are_not_counted(app, client, login, make):
    event = make.event(tables=1, rounds=1)
    with app.app_context():
        def person(**fields):
            db.session.add(Participant(event_id=event.id, token=secrets.token_hex(16), gender="female",
                                       age_band="30_44", migration_experience="own", languages=["ar"], **fields))
        for _ in range(5):
            person(consented_at=utcnow())
        for _ in range(4):
            person()  # answers, but no consent (or withdrawn): not counted
        person(consented_at=utcnow(), registration_state="waiting")  # consented, but did not take part
        db.session.commit()
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    html = client.get(f"/organise/events/{event.id}/participation").get_data(as_text=True)
    assert re.search(r"Teilnehmende:\s*<strong>9</strong>", html)
    figures = _figures(html)
    # 5 described themselves: 5 women of 30–44 with their own migration experience who speak Arabic.
    assert figures[0] == "5"
    assert figures.count("5") == 5 and set(figures) == {"5", "–"}
    with app.app_context():
        db.session.execute(db.update(Participant).where(Participant.event_id == event.id)
                           .values(consented_at=None))
        db.session.commit()
    figures = _figures(client.get(f"/organise/events/{event.id}/participation").get_data(as_text=True))
    assert set(figures) == {"–"}
