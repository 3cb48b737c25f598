"""The goal tree's pages for organisers (editing) and the steering group (reading): the tree,
its nodes and indicators, and the evaluation snapshots with their comparison."""
from app.goaltree.blueprint import bp  # noqa: F401
from app.goaltree import indicator_routes, routes, snapshot_routes  # noqa: F401,E402  (register the views)
from app.goaltree import import_routes  # noqa: F401,E402  (indicator values from a spreadsheet)
from app.goaltree import decision_routes, evaluation_routes, feedback_routes  # noqa: F401,E402
