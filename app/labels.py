"""The names of ideas' states and of the goal tree's kinds and states, as pages and exports show them."""
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

IDEA_STATUS_LABELS = {
    "new": _l("Eingegangen"),
    "clustered": _l("Einem Handlungsfeld zugeordnet"),
    "in_goal_tree": _l("Im Zielbaum aufgenommen"),
    "merged": _l("Mit einer ähnlichen Idee zusammengeführt"),
    "duplicate": _l("Doppelt: eine gleiche Idee wird weiterverfolgt"),
}

KIND_LABELS = {
    "leitziel": _l("Leitziel"),
    "handlungsfeld": _l("Handlungsfeld"),
    "ziel": _l("Ziel"),
    "teilziel": _l("Teilziel"),
    "massnahme": _l("Maßnahme"),
}

STATUS_LABELS = {
    "planned": _l("geplant"),
    "in_progress": _l("in Arbeit"),
    "done": _l("erledigt"),
    "dropped": _l("verworfen"),
}

# Where an idea came from, as the board's cards say it.
ORIGIN_LABELS = {
    "participant": _l("vom Telefon"),
    "host": _l("von der Tischdecke"),
    "interview": _l("aus einem Interview"),
    "paper_scan": _l("von einem Papierbogen"),
    "online": _l("aus der Online-Phase"),
}

# The optional self-description (app/registration), as its form and the participation report name it.
GENDER_LABELS = {
    "female": _l("weiblich"),
    "male": _l("männlich"),
    "diverse": _l("divers"),
    "no_answer": _l("keine Angabe"),
}

AGE_BAND_LABELS = {
    "under_18": _l("unter 18"),
    "18_29": _l("18 bis 29"),
    "30_44": _l("30 bis 44"),
    "45_64": _l("45 bis 64"),
    "65_plus": _l("65 und älter"),
    "no_answer": _l("keine Angabe"),
}

MIGRATION_LABELS = {
    "own": _l("ja, eigene"),
    "family": _l("ja, in meiner Familie"),
    "none": _l("nein"),
    "no_answer": _l("keine Angabe"),
}

# Where a registration stands (app/services/cafe/registration.py).
REGISTRATION_STATE_LABELS = {
    "registered": _l("angemeldet"),
    "waiting": _l("auf der Warteliste"),
    "cancelled": _l("abgesagt"),
}

# An event's format, as the participation report names it (the event form's choices say the same).
EVENT_FORMAT_LABELS = {
    "world_cafe": _l("Bürgerforum (World Café)"),
    "workshop": _l("Fachworkshop"),
    "multiplier_round": _l("Multiplikatorenrunde"),
    "interview": _l("Interview"),
    "conference": _l("Konferenz"),
    "online": _l("Nur online"),
}

# What an actor of the process's register is (app/models/actors.py ACTOR_KINDS).
ACTOR_KIND_LABELS = {
    "association": _l("Verein oder Verband"),
    "institution": _l("Einrichtung oder Behörde"),
    "expert": _l("Fachperson"),
    "person": _l("Einzelperson"),
    "other": _l("Sonstige"),
}

# A comment on a goal node or a snapshot (app/models/actors.py COMMENT_KINDS).
COMMENT_KIND_LABELS = {
    "agree": _l("Zustimmung"),
    "concern": _l("Bedenken"),
    "comment": _l("Anmerkung"),
    "answer": _l("Antwort"),
}


# Where an idea came from beyond its origin (issue 21): the workshop it was written in, the interview
# it was said in, an invited expert. Staff pages and staff exports name the interviewee; the goal-tree
# document (public results too) keeps only the event (`idea_source`).

def interviewee(interview) -> str:
    """Who was interviewed: the register's name, else role and organisation."""
    if interview.actor is not None:
        return interview.actor.name
    return ", ".join(part for part in (interview.role, interview.organisation) if part) or str(_l("ohne Angabe"))


def marks_text(*, workshop: str | None = None, interview: str | None = None, expert: bool = False,
               isolate=str) -> str:
    """"Workshop: <title>" or "Interview: <who>", and "von Expert·in", joined; empty for none.
    `isolate` wraps the names (for a page: in a <bdi> with their language)."""
    marks = []
    if interview is not None:
        marks.append(str(_l("Interview: %(name)s", name=isolate(interview))))
    elif workshop is not None:
        marks.append(str(_l("Workshop: %(title)s", title=isolate(workshop))))
    if expert:
        marks.append(str(_l("von Expert·in")))
    return " · ".join(marks)


def origin_mark(idea, isolate=str) -> str:
    """The workshop an idea was written in or the interview it was said in, and whether an invited
    expert wrote it; empty for an idea of a café. Load the idea's event, participant and interview
    beforehand where many ideas are marked."""
    interview = idea.interview if idea.interview_id is not None else None
    return marks_text(workshop=idea.event.title if idea.event.format == "workshop" else None,
                      interview=interviewee(interview) if interview is not None else None,
                      expert=idea.participant_id is not None and idea.participant.actor_id is not None,
                      isolate=isolate)


def origin_mark_html(idea) -> Markup:
    """`origin_mark` for a page: the workshop's title and the interviewee isolated in the event's language."""
    from app.bidi import isolated

    return Markup(origin_mark(idea, isolate=lambda name: isolated(name, idea.event.default_language)))


def origin_text(idea) -> str:
    """The origin as the board says it, with its mark: "vom Telefon · Workshop: Wohnen und Quartier"."""
    mark = origin_mark(idea)
    origin = str(ORIGIN_LABELS.get(idea.origin, idea.origin))
    return f"{origin} · {mark}" if mark else origin


def origin_html(idea) -> Markup:
    """`origin_text` for a page, its names isolated."""
    mark = origin_mark_html(idea)
    origin = Markup.escape(str(ORIGIN_LABELS.get(idea.origin, idea.origin)))
    return Markup("{} · {}").format(origin, mark) if mark else origin


def idea_source(idea) -> dict | None:
    """The mark as the goal-tree document keeps it, without names of people: the workshop or
    interview event's title and whether an invited expert wrote it; None for a café's idea."""
    source = {}
    if idea.origin == "interview":
        source.update(kind="interview", event=idea.event.title)
    elif idea.event.format == "workshop":
        source.update(kind="workshop", event=idea.event.title)
    if idea.participant_id is not None and idea.participant.actor_id is not None:
        source["expert"] = True
    return source or None


def source_mark(source: dict | None) -> str:
    """A document's `source` of an idea as text, in the current language; empty without one."""
    source = source or {}
    kind = source.get("kind")
    return marks_text(workshop=(source.get("event") or "") if kind == "workshop" else None,
                      interview=(source.get("event") or "") if kind == "interview" else None,
                      expert=bool(source.get("expert")))
