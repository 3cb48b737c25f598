"""Indicators of goal-tree nodes and their dated measured values: adding, editing, deleting.
Every lookup starts from the process; services.progress turns them into progress."""
from __future__ import annotations

import uuid as uuid_module
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.extensions import db
from app.models import GoalNode, Indicator, IndicatorValue, Process
from app.services.errors import DomainError, NotFound
from app.services.goals.goaltree import _number, _texts

INDICATOR_GONE = _l("Diesen Indikator gibt es nicht (mehr).")
VALUE_GONE = _l("Diesen Messwert gibt es nicht (mehr).")
FIELDS = ("name", "unit", "baseline_value", "baseline_on", "target_value", "target_on", "data_source")


def _uuid(value):
    try:
        return value if isinstance(value, uuid_module.UUID) else uuid_module.UUID(str(value))
    except ValueError:
        return None


def indicator_of_process(process: Process, indicator_uuid) -> Indicator:
    """An indicator looked up only among those of the nodes of `process`."""
    indicator = _uuid(indicator_uuid) and db.session.scalar(
        db.select(Indicator).join(GoalNode).where(GoalNode.process_id == process.id,
                                                  Indicator.uuid == _uuid(indicator_uuid)))
    if not indicator:
        raise NotFound(INDICATOR_GONE)
    return indicator


def value_of_indicator(indicator: Indicator, value_uuid) -> IndicatorValue:
    value = _uuid(value_uuid) and db.session.scalar(
        db.select(IndicatorValue).filter_by(indicator_id=indicator.id, uuid=_uuid(value_uuid)))
    if not value:
        raise NotFound(VALUE_GONE)
    return value


def _apply(indicator: Indicator, changes: dict) -> None:
    """Set the given fields (see FIELDS), cleaned and checked the same way for new and old ones."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "name" in changes:
        indicator.name = _texts(changes["name"], indicator.node.process.default_language, required=True)
    if "unit" in changes:
        indicator.unit = (changes["unit"] or "").strip()[:40]
    if "data_source" in changes:
        indicator.data_source = (changes["data_source"] or "").strip()[:300]
    for name in ("baseline_value", "target_value"):
        if name in changes:
            setattr(indicator, name, _number(changes[name], optional=True))
    for name in ("baseline_on", "target_on"):
        if name in changes:
            setattr(indicator, name, changes[name])
    if indicator.baseline_on and indicator.target_on and indicator.target_on < indicator.baseline_on:
        raise DomainError(_l("Das Zieldatum liegt vor dem Datum des Ausgangswerts."))


def add_indicator(node: GoalNode, name, **fields) -> Indicator:
    """A new indicator at the end of the node's indicators (`fields`: the others of FIELDS)."""
    last = db.session.scalar(db.select(func.max(Indicator.position)).filter_by(node_id=node.id))
    indicator = Indicator(node=node, position=(last if last is not None else -1) + 1)
    _apply(indicator, {"name": name, **fields})
    db.session.add(indicator)
    db.session.flush()
    return indicator


def update_indicator(indicator: Indicator, **changes) -> None:
    """Change some of an indicator's fields (see FIELDS); its values stay."""
    _apply(indicator, changes)
    db.session.flush()


def record_value(indicator: Indicator, measured_on: date, value) -> IndicatorValue:
    """The value measured on `measured_on`; a second value for the same date replaces the first."""
    value = _number(value)
    row = db.session.scalar(db.select(IndicatorValue).filter_by(indicator_id=indicator.id, measured_on=measured_on))
    if row is None:
        row = IndicatorValue(indicator=indicator, measured_on=measured_on, value=value)
        db.session.add(row)
    else:
        row.value = value
    db.session.flush()
    return row


def delete_indicator(indicator: Indicator) -> None:
    """The indicator with all its values."""
    db.session.delete(indicator)
    db.session.flush()


def delete_value(value: IndicatorValue) -> None:
    db.session.delete(value)
    db.session.flush()


def chart_document(indicator: Indicator) -> dict:
    """The indicator as the tree document holds it (services.goals.snapshots.tree_document), without
    its progress: what app/exports/indicator_charts.py draws, read for one indicator alone."""
    return {
        "uuid": str(indicator.uuid),
        "name": dict(indicator.name),
        "unit": indicator.unit,
        "baseline": {"value": indicator.baseline_value,
                     "date": indicator.baseline_on.isoformat() if indicator.baseline_on else None},
        "target": {"value": indicator.target_value,
                   "date": indicator.target_on.isoformat() if indicator.target_on else None},
        "data_source": indicator.data_source,
        "values": [{"date": v.measured_on.isoformat(), "value": v.value} for v in indicator.values],
    }
