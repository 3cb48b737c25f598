"""The names of the goal tree's kinds and states, as pages and exports show them."""
from flask_babel import lazy_gettext as _l

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
