"""Editing indicators and their measured values after they were made (see services.goaltree for
adding them and for the progress they give). Every lookup starts from the process."""
from __future__ import annotations

import uuid as uuid_module

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import GoalNode, Indicator, IndicatorValue, Process
from app.services.errors import DomainError, NotFound
from app.services.goaltree import _number, _texts

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


def update_indicator(indicator: Indicator, **changes) -> None:
    """Change some of an indicator's fields (see FIELDS); its values stay."""
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
    db.session.flush()


def delete_indicator(indicator: Indicator) -> None:
    """The indicator with all its values."""
    db.session.delete(indicator)
    db.session.flush()


def delete_value(value: IndicatorValue) -> None:
    db.session.delete(value)
    db.session.flush()
