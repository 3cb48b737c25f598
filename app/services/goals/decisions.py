"""The steering group's decision log: per process, what was decided, when, at which meeting, and
which goal nodes it concerns. Shown on those nodes, in the council's report and in the evaluation
report of the period it falls in."""
from __future__ import annotations

import uuid as uuid_module
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Decision, GoalNode, Process
from app.models.actors import decision_nodes
from app.services.errors import DomainError, NotFound

MAX_TEXT_LENGTH = 4000
MAX_MEETING_LENGTH = 200

DECISION_GONE = _l("Diesen Beschluss gibt es nicht (mehr).")
NODE_UNKNOWN = _l("Einer der gewählten Knoten gehört nicht (mehr) zu diesem Zielbaum.")
DATE_MISSING = _l("Bitte geben Sie das Datum des Beschlusses an.")
TEXT_MISSING = _l("Bitte schreiben Sie, was beschlossen wurde.")


def nodes_of_process(process: Process, node_uuids) -> list[GoalNode]:
    """The nodes of `process` named by UUID (as a form sends them); an unknown one is refused."""
    keys = set()
    for value in node_uuids or ():
        try:
            keys.add(uuid_module.UUID(str(value)))
        except ValueError:
            raise DomainError(NODE_UNKNOWN) from None
    if not keys:
        return []
    nodes = list(db.session.scalars(db.select(GoalNode).filter_by(process_id=process.id)
                                    .where(GoalNode.uuid.in_(keys))))
    if len(nodes) != len(keys):
        raise DomainError(NODE_UNKNOWN)
    return nodes


def add_decision(process: Process, decided_on: date | None, meeting: str, text: str,
                 nodes: list[GoalNode]) -> Decision:
    """A new entry of the log; the nodes must be the process's (see `nodes_of_process`)."""
    text, meeting = (text or "").strip(), " ".join((meeting or "").split())
    if decided_on is None:
        raise DomainError(DATE_MISSING)
    if not text:
        raise DomainError(TEXT_MISSING)
    if len(text) > MAX_TEXT_LENGTH:
        raise DomainError(_l("Höchstens %(max)d Zeichen.", max=MAX_TEXT_LENGTH))
    if len(meeting) > MAX_MEETING_LENGTH:
        raise DomainError(_l("Höchstens %(max)d Zeichen.", max=MAX_MEETING_LENGTH))
    if any(node.process_id != process.id for node in nodes):
        raise DomainError(NODE_UNKNOWN)
    decision = Decision(process_id=process.id, decided_on=decided_on, meeting=meeting, text=text, nodes=list(nodes))
    db.session.add(decision)
    db.session.flush()
    return decision


def decision_of_process(process: Process, decision_uuid) -> Decision:
    """A decision looked up only among those of `process`."""
    try:
        key = uuid_module.UUID(str(decision_uuid))
    except ValueError:
        raise NotFound(DECISION_GONE) from None
    decision = db.session.scalar(db.select(Decision).filter_by(process_id=process.id, uuid=key))
    if decision is None:
        raise NotFound(DECISION_GONE)
    return decision


def delete_decision(decision: Decision) -> None:
    db.session.delete(decision)
    db.session.flush()


def decisions_of(process: Process, *, node: GoalNode | None = None, after: date | None = None,
                 until: date | None = None) -> list[Decision]:
    """The process's decisions, newest first: all, those concerning `node`, or those dated after
    `after` and up to `until` (both optional; the day of `after` itself is left out)."""
    query = db.select(Decision).filter_by(process_id=process.id).options(selectinload(Decision.nodes))
    if node is not None:
        query = query.join(decision_nodes).where(decision_nodes.c.node_id == node.id)
    if after is not None:
        query = query.where(Decision.decided_on > after)
    if until is not None:
        query = query.where(Decision.decided_on <= until)
    return list(db.session.scalars(query.order_by(Decision.decided_on.desc(), Decision.id.desc())))
