"""The action-field suggestion model (app.services.sorting.suggestion_model): pure functions, no database.

The accuracy test runs on a fixed slice of real Warsaw ideas from `shared/data` beside the checkout
(see its README); the full protocol and all timings are in `bench/clustering.py`.
"""
import collections
import csv
import random
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from app.services.sorting.suggestion_model import clusters, rank, seed_texts

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
WARSAW = DATA / "ideas-pl-warszawa.csv"


# --- beats the reference baseline on real ideas --------------------------------------------------

def _warsaw_slice(n_rows=None, k=20, seed=0):
    """8 most frequent categories, shuffled by seed (then the first `n_rows`, if given); the
    first k per category are sorted. All 3,299 rows by default: the graph of a model that learns
    from unsorted ideas needs them, and a slice of 800 leaves the margin at the mercy of the seed."""
    if not WARSAW.exists():
        pytest.skip(f"../shared/data is absent: {WARSAW} not found (CI places shared/ beside its checkout)")
    with WARSAW.open(encoding="utf-8") as f:
        rows = [(r["title"], r["category"]) for r in csv.DictReader(f) if r["title"].strip()]
    keep = {c for c, _ in collections.Counter(c for _, c in rows).most_common(8)}
    rows = [(t, c) for t, c in rows if c in keep]
    random.Random(seed).shuffle(rows)
    rows = rows[:n_rows] if n_rows else rows
    taken, labelled = collections.Counter(), {}
    for i, (_, c) in enumerate(rows):
        if taken[c] < k:
            taken[c] += 1
            labelled[i] = c
    return [t for t, _ in rows], [c for _, c in rows], labelled


def _balanced_accuracy(truth, first):
    per = collections.defaultdict(list)
    for c, guess in zip(truth, first):
        per[c].append(c == guess)
    return float(np.mean([np.mean(v) for v in per.values()]))


def _reference_baseline(texts, labelled):
    """shared/data/reference_baseline.py: TF-IDF char_wb 2-5-grams + logistic regression (C=10).

    Solved with Newton-CG instead of the default lbfgs: the same model (same objective, solved
    to the same tolerance), several times faster; bench/clustering.py runs the reference as is.
    """
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(texts)
    rows = list(labelled)
    model = LogisticRegression(C=10, solver="newton-cg", max_iter=3000)
    model.fit(vec.transform([texts[i] for i in rows]), [labelled[i] for i in rows])
    return list(model.classes_[np.argmax(model.predict_proba(vec.transform(texts)), axis=1)])


def test_beats_the_reference_baseline_on_real_ideas():
    texts, truth, labelled = _warsaw_slice()
    test = [i for i in range(len(texts)) if i not in labelled]
    ours = [r[0][0] for r in rank(texts, labelled)]
    theirs = _reference_baseline(texts, labelled)
    ours_score = _balanced_accuracy([truth[i] for i in test], [ours[i] for i in test])
    theirs_score = _balanced_accuracy([truth[i] for i in test], [theirs[i] for i in test])
    assert ours_score > theirs_score + 0.03, (ours_score, theirs_score)  # about 0.64 against 0.58


def test_where_the_additions_do_not_pay_off_the_suggestions_are_exactly_the_references(monkeypatch):
    """Weight 0 of the stack is the reference of shared/data/reference_baseline.py, solved as it is
    (lbfgs): the same first suggestion for every idea."""
    from app.services.sorting import suggestion_stack

    texts, _truth, labelled = _warsaw_slice(n_rows=900, k=20)
    monkeypatch.setattr(suggestion_stack, "STACK_WEIGHTS", (0.0,))
    explain = {}
    ours = [r[0][0] for r in rank(texts, labelled, explain=explain)]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(texts)
    rows = list(labelled)
    reference = LogisticRegression(C=10, max_iter=3000).fit(vec.transform([texts[i] for i in rows]),
                                                              [labelled[i] for i in rows])
    theirs = list(reference.classes_[np.argmax(reference.predict_proba(vec.transform(texts)), axis=1)])
    assert explain["weight"] == 0.0
    assert ours == theirs


def test_the_choice_is_made_on_the_events_own_sortings():
    texts, _truth, labelled = _warsaw_slice(k=20)
    explain = {}
    rank(texts, labelled, explain=explain)
    assert 0.0 < explain["weight"] <= 1.0  # the full model pays off on these ideas
    assert 0.1 <= explain["temperature"] <= 2.0


# --- the shape of the answer ---------------------------------------------------------------------

def test_every_text_gets_all_fields_ranked_with_confidences():
    texts = ["Mehr Radwege bauen", "Bäume pflanzen", "Neue Bänke im Park", "", "???"]
    result = rank(texts, {0: "Mobilität", 1: "Grün"}, seeds={"Kultur": ["Theater", "Konzerte"]})
    assert len(result) == len(texts)
    for ranking in result:
        assert sorted(c for c, _ in ranking) == ["Grün", "Kultur", "Mobilität"]
        confidences = [p for _, p in ranking]
        assert confidences == sorted(confidences, reverse=True)
        assert all(0.0 <= p <= 1.0 for p in confidences)
        assert sum(confidences) <= 1.0 + 1e-9
    assert result[0][0][0] == "Mobilität" and result[1][0][0] == "Grün"


def test_nothing_to_suggest_without_fields_or_texts():
    assert rank([], {}) == []
    assert rank(["Eine Idee", "Noch eine"], {}) == [[], []]
    assert rank(["Eine Idee", "Noch eine"], {0: "Grün"}) == [[("Grün", 1.0)], [("Grün", 1.0)]]


# --- cold start: only the fields' names, descriptions and keywords -------------------------------

GERMAN_FIELDS = {
    "Mobilität": seed_texts("Mobilität", "Wie wir uns im Viertel bewegen", "Radweg, Fahrrad, Bus, Haltestelle, Parkplatz"),
    "Grün": seed_texts("Grün und Klima", "Parks, Bäume und Hitze im Sommer", "Baum, Park, Blumen, Wiese, Begrünung"),
    "Bildung": seed_texts("Bildung", "Lernen in jedem Alter", "Schule, Kita, Bücherei, Kurse, Nachhilfe"),
}
POLISH_FIELDS = {
    "transport": seed_texts("Transport", "Jak poruszamy się po dzielnicy", "rower, ścieżka rowerowa, autobus, przystanek, chodnik"),
    "zieleń": seed_texts("Zieleń miejska", "Parki, drzewa i skwery", "drzewa, park, kwiaty, łąka, skwer"),
    "edukacja": seed_texts("Edukacja", "Nauka w każdym wieku", "szkoła, przedszkole, biblioteka, warsztaty, zajęcia"),
}


@pytest.mark.parametrize("fields, ideas", [
    (GERMAN_FIELDS, {
        "Mehr Radwege in der Innenstadt": "Mobilität",
        "Die Bushaltestelle braucht ein Dach": "Mobilität",
        "Neue Bäume für den Stadtpark": "Grün",
        "Blumenwiese statt Rasen": "Grün",
        "Die Schule braucht neue Toiletten": "Bildung",
        "Längere Öffnungszeiten der Bücherei": "Bildung",
    }),
    (POLISH_FIELDS, {
        "Nowe ścieżki rowerowe na Mokotowie": "transport",
        "Wiata na przystanku autobusowym": "transport",
        "Posadźmy drzewa w parku": "zieleń",
        "Kwiaty na skwerze przy ratuszu": "zieleń",
        "Remont sali gimnastycznej w szkole": "edukacja",
        "Nowe książki dla biblioteki": "edukacja",
    }),
], ids=["german", "polish"])
def test_cold_start_ranks_the_field_whose_keyword_the_idea_contains_first(fields, ideas):
    filler = ["Ein Fest für alle Nachbarn", "Spotkanie sąsiedzkie", "Mehr Sitzgelegenheiten", "Lepsze oświetlenie"]
    texts = list(ideas) + filler
    result = rank(texts, {}, seeds=fields)
    for text, ranking in zip(texts, result):
        if text in ideas:
            assert ranking[0][0] == ideas[text], (text, ranking)
            assert ranking[0][1] > ranking[1][1]


def test_cold_start_keywords_may_come_in_another_language_than_the_field():
    fields = {
        "Mobilität": seed_texts("Mobilität", keywords=["Radweg", "bike lane", "piste cyclable"]),
        "Grün": seed_texts("Grün", keywords=["Bäume", "trees", "arbres"]),
    }
    result = rank(["More bike lanes please", "Plant more trees", "Des arbres dans la cour"], {}, seeds=fields)
    assert [r[0][0] for r in result] == ["Mobilität", "Grün", "Grün"]


def test_cold_start_is_unsure_about_an_idea_that_matches_no_field():
    texts = ["Mehr Radwege in der Innenstadt", "Quantenphysik zum Frühstück"]
    sure, unsure = rank(texts, {}, seeds=GERMAN_FIELDS)
    assert sure[0] == ("Mobilität", pytest.approx(sure[0][1])) and sure[0][1] > 0.3
    assert unsure[0][1] < sure[0][1] / 2
    assert sum(p for _, p in unsure) < 1.0


def test_sorted_ideas_teach_words_that_no_keyword_names():
    texts = ["Lastenräder zum Ausleihen", "Lastenrad-Verleih am Bahnhof", "Streuobstwiese anlegen",
             "Obstbäume auf der Streuobstwiese", "Mehr Radwege", "Mehr Bäume"]
    before = rank(texts, {}, seeds=GERMAN_FIELDS)
    after = rank(texts, {0: "Mobilität", 2: "Grün", 4: "Mobilität", 5: "Grün"}, seeds=GERMAN_FIELDS)
    assert after[1][0][0] == "Mobilität" and after[3][0][0] == "Grün"
    assert after[1][0][1] > before[1][0][1]


# --- a small event: a few dozen ideas, some sorted ----------------------------------------------
# Short ideas about four fields, ten each (two in English, whose keywords the fields also carry),
# in the order the fields are listed, round and round.

FOUR_FIELDS = {
    "Mobilität": seed_texts("Mobilität", "Wie wir uns im Viertel bewegen",
                            "Radweg, Fahrrad, Bus, Haltestelle, Fußgänger, bike, bus"),
    "Grün": seed_texts("Grün und Klima", "Parks, Bäume und Hitze im Sommer",
                       "Baum, Park, Blumen, Wiese, Begrünung, trees, park"),
    "Bildung": seed_texts("Bildung", "Lernen in jedem Alter", "Schule, Kita, Bücherei, Kurs, Nachhilfe, school, library"),
    "Begegnung": seed_texts("Begegnung und Kultur", "Feste, Treffpunkte, Vereine und Kultur im Viertel",
                            "Fest, Treffpunkt, Verein, Konzert, Nachbarn, festival, neighbours"),
}
SMALL_EVENT = [
    ("Mehr Radwege in der Innenstadt", "Mobilität"),
    ("Mehr Bäume in unserer Straße pflanzen", "Grün"),
    ("Mehr Kitaplätze für Kinder unter drei", "Bildung"),
    ("Ein Straßenfest einmal im Jahr", "Begegnung"),
    ("Der Bus fährt abends viel zu selten", "Mobilität"),
    ("Blumenwiese statt kurz gemähtem Rasen", "Grün"),
    ("Hausaufgabenhilfe nach der Schule", "Bildung"),
    ("Ein Nachbarschaftscafé als Treffpunkt", "Begegnung"),
    ("Sichere Abstellplätze für Fahrräder am Bahnhof", "Mobilität"),
    ("Der Stadtpark braucht mehr Schatten im Sommer", "Grün"),
    ("Die Bücherei soll auch samstags öffnen", "Bildung"),
    ("Konzerte im Sommer auf dem Marktplatz", "Begegnung"),
    ("Tempo 30 in allen Wohnstraßen", "Mobilität"),
    ("Fassaden und Dächer begrünen", "Grün"),
    ("Deutschkurse am Abend für Berufstätige", "Bildung"),
    ("Der Sportverein soll sich für Neue öffnen", "Begegnung"),
    ("Ein Zebrastreifen an der Hauptstraße, da kommt man kaum rüber", "Mobilität"),
    ("Urban Gardening im Hinterhof", "Grün"),
    ("Computerkurse für Senioren", "Bildung"),
    ("Ein Raum für Vereine und Initiativen", "Begegnung"),
    ("Carsharing-Station im Quartier", "Mobilität"),
    ("Trinkbrunnen gegen die Hitze", "Grün"),
    ("Die Grundschule braucht neue Toiletten", "Bildung"),
    ("Flohmarkt im Hof, damit man sich kennenlernt", "Begegnung"),
    ("Die Ampel an der Kreuzung ist zu kurz grün für Fußgänger", "Mobilität"),
    ("Obstbäume auf der Wiese am Fluss", "Grün"),
    ("Nachhilfe für Jugendliche, die sich keine leisten können", "Bildung"),
    ("Kino unter freiem Himmel", "Begegnung"),
    ("Nachtbus am Wochenende", "Mobilität"),
    ("Weniger versiegelte Flächen, mehr Grün", "Grün"),
    ("Lesepaten für Erstklässler", "Bildung"),
    ("Gemeinsames Kochen mit Nachbarn aus aller Welt", "Begegnung"),
    ("More bike lanes and safer crossings", "Mobilität"),
    ("Plant more trees along the river", "Grün"),
    ("Evening language classes for parents", "Bildung"),
    ("A neighbourhood festival with music from everywhere", "Begegnung"),
    ("The bus stop needs a roof", "Mobilität"),
    ("More shade and trees in the park", "Grün"),
    ("The library needs books in other languages", "Bildung"),
    ("A meeting place for young people in the evening", "Begegnung"),
]


def _unsorted_results(labelled):
    texts = [t for t, _ in SMALL_EVENT]
    result = rank(texts, labelled, seeds=FOUR_FIELDS)
    unsorted = [i for i in range(len(texts)) if i not in labelled]
    right = [result[i][0][0] == SMALL_EVENT[i][1] for i in unsorted]
    return [result[i] for i in unsorted], right


def test_small_event_with_half_sorted_gets_most_right_and_is_sure_where_right():
    # The first 20 (five per field, German only) sorted; the rest, all English ones among them, not.
    rankings, right = _unsorted_results({i: field for i, (_, field) in enumerate(SMALL_EVENT[:20])})
    assert sum(right) >= 14, sum(right)  # 16 of 20; 11 with the spread made for thousands of ideas
    first = [r[0][1] for r in rankings]
    margins = sorted(r[0][1] - r[1][1] for r in rankings)
    assert np.mean(first) > 0.5, first  # four fields: near-uniform would be about 0.25 each
    assert margins[len(margins) // 2] > 0.2, margins
    sure_right = np.mean([p for p, ok in zip(first, right) if ok])
    sure_wrong = np.mean([p for p, ok in zip(first, right) if not ok])
    # Surer where right (0.88 against 0.79); the confidence ceiling (suggestion_stack.calibration)
    # keeps the surest from claiming more than the held-out sortings showed, which narrows the gap.
    assert sure_right > sure_wrong + 0.05, (sure_right, sure_wrong)


def test_small_event_fields_with_nothing_sorted_yet_still_come_from_their_seed_texts():
    # All ideas of two fields sorted, none of the other two: those must not swallow the rest.
    labelled = {i: field for i, (_, field) in enumerate(SMALL_EVENT) if field in ("Mobilität", "Bildung")}
    _, right = _unsorted_results(labelled)
    assert sum(right) > len(right) / 2, right  # 13 of 20; 1 with the spread made for thousands of ideas


# --- groups of similar ideas ---------------------------------------------------------------------

def test_clusters_group_obvious_near_duplicates():
    texts = [
        "Mehr Radwege in Ottensen", "mehr Radwege!", "Radwege in Ottensen ausbauen",  # 0-2
        "Tempo 30 in allen Wohnstraßen", "Tempo 30 in Wohnstraßen",  # 3-4
        "Spielplatz am Park erneuern", "Den Spielplatz im Park erneuern",  # 5-6
        "Kulturfest im Sommer", "Nachtbus nach Altona", "Mülleimer aufstellen", "Schule sanieren",  # 7-10
    ]
    groups = clusters(texts)
    found = [set(indices) for indices, _ in groups]
    for duplicates in ({0, 1, 2}, {3, 4}, {5, 6}):
        assert duplicates in found, (duplicates, found)
    assert all(len(g) >= 2 for g in found)
    assert not {7, 8, 9, 10} & set().union(*found)
    for indices, label in groups:
        assert label in {texts[i] for i in indices}


def test_clusters_label_is_shortened_and_limits_hold():
    long_text = "Eine sehr lange Idee über die Neugestaltung des Platzes vor dem Bahnhof mit Bänken und Bäumen"
    texts = [long_text, long_text + "!", "Anderes Thema", "Noch etwas anderes"]
    (indices, label), = clusters(texts)
    assert indices == [0, 1]
    assert len(label) <= 61 and label.endswith("…")
    assert clusters(texts, min_size=3) == []
    assert clusters(["a b c"] * 6, max_clusters=1) == [([0, 1, 2, 3, 4, 5], "a b c")]
    assert clusters([]) == [] and clusters(["", ""]) == []
