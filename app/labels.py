"""The names of ideas' states and of the goal tree's kinds and states, as pages and exports show them."""
from flask_babel import lazy_gettext as _l

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
