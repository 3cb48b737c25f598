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
