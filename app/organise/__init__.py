"""The organisers' pages; the route modules beyond routes.py register their views on its blueprint."""
from app.organise import audit_routes, closing_routes, members_routes, seating_routes  # noqa: F401  (register the views)
from app.organise import participation_routes  # noqa: F401  (the participation report)
from app.organise import timeline_routes  # noqa: F401  (the process's timeline)
from app.organise import interview_routes, workshop_routes  # noqa: F401  (workshops and interviews, issue 21)
from app.organise import share_routes  # noqa: F401  (templates and open data, issue 22)
