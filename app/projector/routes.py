"""The projector: read-only, opened by a secret link so the projector laptop needs no login."""
from flask import Blueprint, abort, g, render_template

from app.extensions import db
from app.http import live_json, no_store
from app.links import display_url, join_url
from app.models import Event
from app.models.base import localized, utcnow
from app.projector import scenes
from app.services.cafe import rounds
from app.services.reports import overview

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
    """What the projector's current scene (app/projector/scenes.py) needs, and nothing more."""
    scene = event.projector_scene
    round_ = rounds.seating_round(event)
    context = {"event": event, "scene": scene, "round": round_, "join_link": join_url(event),
               "display_url": display_url, "questions": _questions(event, round_),
               "seconds_left": rounds.remaining_seconds(round_) if round_ else None}
    if scene == "question":
        context["participants"] = scenes.participant_count(event)
    elif scene == "wall":
        context["ideas"] = overview.latest_ideas(event, round_, limit=scenes.WALL_IDEAS)
    elif scene == "rotation":
        context["plan_round"], context["pages"] = scenes.seating_plan(event)
    return context


def _questions(event, round_) -> list[tuple[str, str]]:
    """The round's question in every language of the event that has it, the default first."""
    if round_ is None:
        return []
    questions = [(language, round_.question[language]) for language in event.languages if round_.question.get(language)]
    return questions or [localized(round_.question, event.default_language)[::-1]]


@bp.get("/p/<token>")
def show(**_):
    event = g.event
    return render_template("projector/projector.html", **_context(event))


@bp.get("/p/<token>/live")
def live(**_):
    return live_json([("e", g.event.id, g.event.revision)],
                     lambda: {"revision": g.event.revision, "server_time": utcnow().isoformat()})


@bp.get("/p/<token>/fragment")
def fragment(**_):
    return no_store(render_template("projector/_live.html", **_context(g.event)))
