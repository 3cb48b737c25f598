"""Time the goal-tree exports of a 500-node tree (target: XLSX and DOCX under 2 seconds each).

    .venv/bin/python bench/exports.py [--nodes 500] [--lang de]

Builds a tree in a temporary SQLite database through the services: the Leitziel, the four action
fields, goals with an indicator (three measured values) and two linked ideas each, and four
measures per goal with a responsible actor and a timeframe. Then times `tree_document` (reading
the tree) and each writer on that document; the median of 3 runs, and the slowest.
"""
import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(process, nodes: int) -> None:
    from app.extensions import db
    from app.models import Contribution
    from app.services.cafe import events
    from app.services.goals import goaltree, indicators

    event = events.create_event(process, "Bürgerforum", table_count=6, questions=[{"de": "Frage"}],
                                languages=["de", "ar"])
    root = goaltree.ensure_tree(process)
    fields, made, n = list(root.children), 5, 0
    while made < nodes:
        ideas = [Contribution(event_id=event.id, text=f"Idee {n}.{i}: mehr Begegnung und Sprachkurse für alle",
                              language="de") for i in range(2)]
        db.session.add_all(ideas)
        db.session.flush()
        goal = goaltree.node_from_ideas(fields[n % len(fields)], ideas,
                                        {"de": f"Ziel {n}: Übergänge in Ausbildung und Arbeit erleichtern",
                                         "ar": f"الهدف {n}: تسهيل الانتقال إلى التدريب والعمل"},
                                        description="Warum dieses Ziel wichtig ist, in zwei Sätzen. Und wie.",
                                        status="in_progress")
        indicator = indicators.add_indicator(goal, "Ausbildungsverträge", unit="Anzahl", baseline_value=40,
                                           baseline_on=date(2025, 1, 1), target_value=80, target_on=date(2030, 1, 1))
        for year in (2026, 2027, 2028):
            indicators.record_value(indicator, date(year, 6, 1), 40 + 8 * (year - 2025))
        made += 1
        for m in range(min(4, nodes - made)):
            goaltree.add_node(goal, "massnahme", f"Maßnahme {n}.{m}: Patenschaften zwischen Betrieben und Schulen",
                              responsible=["Jobcenter", "IHK"], starts_on=date(2026, 1, 1),
                              ends_on=date(2027, 12, 31), status=("planned", "in_progress", "done")[m % 3])
            made += 1
        n += 1


def timed(function, runs: int = 3) -> tuple[float, float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    timings.sort()
    return timings[len(timings) // 2], timings[-1], result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--lang", default="de")
    args = parser.parse_args()
    import flask_migrate

    from app import create_app
    from app.exports import FORMATS, goal_tree_bytes
    from app.extensions import db
    from app.models import GoalNode, Process
    from app.services.administration import processes
    from app.services.goals import snapshots
    from config import Config

    folder = tempfile.mkdtemp()
    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                                             "DEMO_CREDENTIALS_FILE": os.path.join(folder, "cred.txt")})
    app = create_app(config)
    with app.app_context(), app.test_request_context():
        flask_migrate.upgrade()
        process = processes.create_process("Wie leben wir 2030 zusammen?")
        build(process, args.nodes)
        db.session.commit()
        count = db.session.scalar(db.select(db.func.count(GoalNode.id)).filter_by(process_id=process.id))
        process_id = process.id
        db.session.expire_all()
        median, slowest, document = timed(lambda: snapshots.tree_document(db.session.get(Process, process_id)))
        print(f"goal-tree exports, {count} nodes, language {args.lang} (median of 3, slowest):")
        print(f"  tree_document  {median:6.3f} s  ({slowest:.3f})")
        for fmt, _label in FORMATS:
            median, slowest, content = timed(lambda: goal_tree_bytes(document, fmt, args.lang))
            print(f"  {fmt:<13}  {median:6.3f} s  ({slowest:.3f})  {len(content) / 1024:8.0f} KiB")


if __name__ == "__main__":
    main()
