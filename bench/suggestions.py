"""Time a full recomputation of the stored suggestions (and candidate clusters) for 5,000 ideas.

    .venv/bin/python bench/suggestions.py [--ideas 5000]

Seeds a temporary SQLite database with the demo process and copies of the Warsaw ideas (or the
demo's ideas where ../shared/data is absent), sorts 5 % of them, then times
`services.suggestions.recompute` end to end: reading the ideas, the model, and writing the rows.
"""
import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WARSAW = ROOT.parent / "shared" / "data" / "ideas-pl-warszawa.csv"


def texts(count):
    if WARSAW.exists():
        with open(WARSAW, encoding="utf-8") as handle:
            rows = [r["title"] for r in csv.DictReader(handle) if r["title"].strip()]
    else:
        from app.services.administration.demo_ideas import DEMO_IDEAS
        rows = [text for _, _, text, _ in DEMO_IDEAS]
    return [rows[i % len(rows)] + ("" if i < len(rows) else f" ({i // len(rows)})") for i in range(count)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ideas", type=int, default=5000)
    args = parser.parse_args()
    import flask_migrate

    from app import create_app
    from app.extensions import db
    from app.models import Contribution, Process
    from app.services.sorting import suggestions
    from app.services.administration.demo import seed_demo
    from config import Config

    folder = tempfile.mkdtemp()
    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                                             "DEMO_CREDENTIALS_FILE": os.path.join(folder, "cred.txt")})
    app = create_app(config)
    with app.app_context():
        flask_migrate.upgrade()
        event = seed_demo(config.DEMO_CREDENTIALS_FILE).event
        process = event.process
        fields = process.action_fields
        for i, text in enumerate(texts(args.ideas)):
            idea = Contribution(event_id=event.id, text=text[:500], language="pl")
            if i % 20 == 0:
                idea.action_field_id, idea.status = fields[i % len(fields)].id, "clustered"
            db.session.add(idea)
        db.session.commit()
        total = db.session.scalar(db.select(db.func.count(Contribution.id)))
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            stored = suggestions.recompute(db.session.get(Process, process.id))
            db.session.commit()
            timings.append(time.perf_counter() - started)
        timings.sort()
        print(f"suggestions recompute, {total} ideas ({stored} unsorted): seconds {timings[1]:.2f} "
              f"(median of 3, slowest {timings[-1]:.2f})")


if __name__ == "__main__":
    main()
