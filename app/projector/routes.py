"""The projector: read-only, opened by a secret link so the projector laptop needs no login."""
from flask import Blueprint, abort, g, render_template, request
from markupsafe import Markup

from app.extensions import db
from app.http import live_json, no_store
from app.links import display_url, join_url
from app.models import Event
from app.models.base import localized, utcnow
from app.services.reports import overview
from app.services.cafe import qr, rounds

bp = Blueprint("projector", __name__, template_folder="templates")


@bp.url_value_preprocessor
def load_event(_endpoint, values):
    event = db.session.scalar(db.select(Event).filter_by(projector_token=values.pop("token")))
    if event is None:
        abort(404)
    g.event = event


@bp.url_defaults
def keep_token(endpoint, values):
    if "token" not in values and g.get("event") is not None and endpoint.startswith("projector."):
        values["token"] = g.event.projector_token


def _context(event):
    round_ = rounds.seating_round(event)
    questions = []
    if round_ is not None:
        for language in event.languages:
            text = round_.question.get(language)
            if text:
                questions.append((language, text))
        if not questions:
            questions.append(localized(round_.question, event.default_language)[::-1])
    wall = request.args.get("wall") == "1"
    return {
        "event": event,
        "round": round_,
        "questions": questions,
        "seconds_left": rounds.remaining_seconds(round_) if round_ else None,
        "wall": wall,
        "ideas": overview.latest_ideas(event, round_) if wall else [],
        "join_link": join_url(event),
        "display_url": display_url,
    }


@bp.get("/p/<token>")
def show(**_):
    event = g.event
    return render_template("projector/projector.html", qr_svg=Markup(qr.svg(join_url(event)).decode()),
                           **_context(event))


@bp.get("/p/<token>/live")
def live(**_):
    return live_json([("e", g.event.id, g.event.revision)],
                     lambda: {"revision": g.event.revision, "server_time": utcnow().isoformat()})


@bp.get("/p/<token>/fragment")
def fragment(**_):
    return no_store(render_template("projector/_live.html", **_context(g.event)))
