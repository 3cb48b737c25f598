"""Do the action-field suggestions read non-German ideas better through their German translation?

    .venv/bin/python bench/suggestions_translations.py

Data: the demo's 60 ideas (`app.services.administration.demo_ideas.DEMO_IDEAS`: 40 German, 20 in Arabic, Turkish,
Ukrainian and English, each of those with a human German translation; machine translations cannot be
produced here). Each idea has one of the four default action fields as its true label, given by hand
below (HAND_LABELS, for this benchmark only; consistent with the demo goal tree's idea keywords).

Protocol: for each sorted share (1/4 and 1/2 of the ideas) and each repetition r = 0..19, the ideas'
indices are shuffled with `random.Random(r).shuffle`; the first 60 x share are the organiser's
sortings, all others test ideas (the same split for every input). `suggestion_model.rank` gets one of
three inputs per idea: "original" (the text as written), "translation" (the German translation where
one exists, else the text as written: what `services.suggestions._model_text` gives the model, since
this benchmark showed it best), "both" (text as written + " " + German translation, where one exists;
what the app gave the model before). Each input is run with the four fields' seed texts, built by the
app's own `services.suggestions._seeds` from `processes.DEFAULT_ACTION_FIELDS` (names and descriptions
in German and English, keywords), and without seeds. Figures, means over the 20 repetitions: balanced
accuracy of the first suggestion (mean over the fields present among the test ideas of the share of
them whose first suggestion is right) on the non-German test ideas and on all test ideas, and the mean
confidence of the first suggestion on the non-German test ideas (chance level 1/4). The closing lines
compare the inputs on the non-German ideas over all four settings, with the standard error of the
per-repetition difference.
"""
import collections
import os
import random
import statistics
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")  # 240 tiny fits: BLAS threads only contend (5 min -> 20 s)

from app.services.sorting import suggestion_model  # noqa: E402
from app.services.administration.demo_ideas import DEMO_IDEAS  # noqa: E402
from app.services.administration.processes import DEFAULT_ACTION_FIELDS  # noqa: E402
from app.services.sorting.suggestions import _seeds  # noqa: E402

A, S, W, T = "Ausbildung und Arbeit", "Sprache und Bildung", "Wohnen und Quartier", "Teilhabe und Engagement"
# Hand labels for this benchmark only (not used by the app): the first 40 characters of each demo
# idea's text as written -> the action field an organiser would sort it into.
HAND_LABELS = {
    "Eine Willkommensmappe für alle Neuen: wi": T,
    "Kitaplätze!!! Ohne Kita kein Sprachkurs ": S,
    "Beim Bürgerbüro anmelden ist das Erste w": T,
    "Sportverein: Beitrag im ersten halben Ja": T,
    "Nachbarn sollten einfach mal klingeln un": W,
    "Wie findet man hier überhaupt einen Haus": T,
    "Praktikumsbörse mit Herdecker Betrieben ": A,
    "Der Wohnungsmarkt ist leergefegt und vie": W,
    "نحتاج إلى دورات لغة في المساء أو في عطلة": S,
    "Ben 20 yıl önce Herdecke'ye geldim, o za": T,
    "Дуже важливо, щоб дипломи визнавали швид": A,
    "Ein Sprachcafé, z.B. in der Stadtbüchere": S,
    "Jobcenter und Ausländerbehörde reden nic": A,
    "Mehr Infos in einfacher Sprache! Die Bri": T,
    "Ehrenamtliche brauchen auch Unterstützun": T,
    "Spielplätze und Grünflächen im Viertel a": W,
    "أتمنى أن يكون هناك شخص يرافق العائلات ال": T,
    "Çocuklara ödev yardımı lazım. Biz velile": S,
    "Де знайти інформацію про житло? Ми вже п": W,
    "Honestly the hardest part is making frie": W,
    "Patenschaften! Eine Herdecker Familie be": T,
    "Die Anerkennung von Abschlüssen dauert e": A,
    "deutschkurse auch mit kinderbetreuung an": S,
    "Was ist mit denen, die nicht wegen Fluch": T,
    "Gemischte Belegung bei Neubauten, keine ": W,
    "Eine Übersicht aller Angebote an einem O": T,
    "Azubis mit Migrationsgeschichte als Vorb": A,
    "دليل ترحيب باللغة العربية فيه كل المعلوم": T,
    "الناس هنا لطفاء، لكن من الصعب التعرف علي": W,
    "Моя донька ходить до школи, але на урока": S,
    "Sprachcafe in der Stadtbücherei oder im ": S,
    "Betriebe suchen Leute, Leute suchen Arbe": A,
    "Mehr Treffpunkte im Quartier, wo man ohn": W,
    "Moschee und Kirchengemeinden könnten zus": T,
    "Wer neu ist, kennt oft die Mülltrennung ": W,
    "Frauen gezielt ansprechen! Viele Mütter ": T,
    "Schnelles WLAN in den Unterkünften – ohn": W,
    "عندي شهادة هندسة من سوريا، لكني لا أعرف ": A,
    "Haftada bir gün dil kafe olsa çok iyi ol": S,
    "Please make the Ausländerbehörde reachab": T,
    "Willkommenspaket beim Anmelden im Bürger": T,
    "Der Bus nach Hagen und Dortmund muss öft": A,
    "Jugendliche brauchen Ausbildungsplätze u": A,
    "Ich bin selbst vor 3 Jahren hergezogen (": W,
    "Vereine müssen sich auch öffnen. Bei uns": T,
    "Kleine Wohnungen fehlen total, und Große": W,
    "Lesepaten für Grundschulkinder, z.B. Sen": S,
    "أريد أن أعمل، لكن الجوب سنتر يرسلني دائم": A,
    "Bence en önemlisi iş. İş olunca dil de g": A,
    "Було б добре мати наставника — когось із": T,
    "A simple welcome guide in English (and o": T,
    "Sprachcafé!! Wo man einfach reden üben k": S,
    "Migrantenorganisationen und Kulturverein": T,
    "Neue sollten auch mitreden können, was i": T,
    "Betriebe könnten berufsbegleitende Sprac": S,
    "Mehr Ärzte, die andere Sprachen sprechen": T,
    "Bezahlbarer Wohnraum, auch für die, die ": W,
    "أحب أن أتطوع في المدينة، مثلًا في الطبخ ": T,
    "Camide her pazar öğleden sonra çay saati": T,
    "Для дітей потрібні гуртки та секції — сп": T,
}
SHARES = (0.25, 0.5)
REPEATS = 20
INPUTS = {
    "original": lambda text, german: text,
    "translation": lambda text, german: german or text,  # the German translation alone
    "both": lambda text, german: f"{text} {german}" if german else text,  # what _model_text gave before
}
CURRENT = "translation"  # services.suggestions._model_text: the German translation where one exists


def balanced(rows, truth, rankings):
    per = collections.defaultdict(list)
    for i in rows:
        per[truth[i]].append(rankings[i][0][0] == truth[i])
    return statistics.mean(statistics.mean(v) for v in per.values())


def main():
    assert len(HAND_LABELS) == len(DEMO_IDEAS) == 60, "labels must cover each demo idea once"
    truth = [HAND_LABELS[text[:40]] for _, _, text, _ in DEMO_IDEAS]
    foreign = {i for i, (_, language, _, _) in enumerate(DEMO_IDEAS) if language != "de"}
    fields = [SimpleNamespace(id=f["name"]["de"], **f) for f in DEFAULT_ACTION_FIELDS]
    seeds = _seeds(fields)
    assert set(seeds) == set(truth)
    # per (share, seeds, input): per repetition (non-German balanced, all balanced, confidence)
    results = collections.defaultdict(list)
    for share in SHARES:
        for r in range(REPEATS):
            order = list(range(len(DEMO_IDEAS)))
            random.Random(r).shuffle(order)
            cut = round(len(order) * share)
            labelled = {i: truth[i] for i in order[:cut]}
            test = order[cut:]
            test_foreign = [i for i in test if i in foreign]
            for name, make in INPUTS.items():
                texts = [make(text, german) for _, _, text, german in DEMO_IDEAS]
                for with_seeds in (True, False):
                    rankings = suggestion_model.rank(texts, labelled, seeds if with_seeds else None)
                    confidence = statistics.mean(rankings[i][0][1] for i in test_foreign)
                    results[share, with_seeds, name].append(
                        (balanced(test_foreign, truth, rankings), balanced(test, truth, rankings), confidence))
    print(f"{len(DEMO_IDEAS)} demo ideas, {len(foreign)} not in German (all with a human German translation); "
          f"{REPEATS} splits per setting")
    for share in SHARES:
        for with_seeds in (True, False):
            for name in INPUTS:
                rows = results[share, with_seeds, name]
                f, a, c = (statistics.mean(x[k] for x in rows) for k in range(3))
                print(f"sorted {share:.2f} seeds {'yes' if with_seeds else 'no '} input {name:<11}  "
                      f"non-German balanced {f:.3f} all {a:.3f} confidence {c:.2f}")
    settings = [(share, s) for share in SHARES for s in (True, False)]
    overall = {name: statistics.mean(x[0] for st in settings for x in results[(*st, name)]) for name in INPUTS}
    best = max(overall, key=overall.get)

    def gap(one, other):  # mean and standard error of the paired per-split difference, non-German
        d = [x[0] - y[0] for st in settings for x, y in zip(results[(*st, one)], results[(*st, other)])]
        return statistics.mean(d), statistics.stdev(d) / len(d) ** 0.5

    others = ", ".join(f"{o} by {m:+.3f} (s.e. {e:.3f})" for o in INPUTS if o != best for m, e in [gap(best, o)])
    print(f"best input for the non-German ideas (mean balanced accuracy over the 4 settings): {best} "
          f"{overall[best]:.3f}, ahead of {others}; the app's current input is '{CURRENT}'")


if __name__ == "__main__":
    main()
