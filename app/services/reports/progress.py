"""How far the goal tree has come: every node's progress from its status, indicators and children.

Progress, exactly:
- an indicator: (latest − baseline) / (target − baseline), clamped to 0..1, so a target below the
  baseline works too; where target equals baseline, 1 once the latest value reaches it; 0 without
  values or without a target (a missing baseline counts as 0);
- a node without children: 1 when done, the mean of its indicators while in progress (0 without
  any), 0 when planned or dropped;
- a node with children: the mean of its children weighted by their weight, leaving out dropped
  ones (a plain mean where all weights are zero; 0 without a child that is not dropped). Its own
  indicators are shown, not counted.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from app.extensions import db
from app.models import GoalNode, Indicator, IndicatorValue, Process


def indicator_progress(baseline: float | None, target: float | None, latest: float | None) -> float:
    """How far `latest` has come from `baseline` towards `target`, 0..1 (see the module's rules)."""
    if latest is None or target is None:
        return 0.0
    baseline = 0.0 if baseline is None else baseline
    if target == baseline:
        return 1.0 if latest >= target else 0.0
    return min(1.0, max(0.0, (latest - baseline) / (target - baseline)))


@dataclass
class TreeData:
    """A whole tree loaded at once: nodes, children in order, indicators and their values."""

    nodes: dict[int, GoalNode] = field(default_factory=dict)
    children: dict[int | None, list[GoalNode]] = field(default_factory=lambda: defaultdict(list))
    indicators: dict[int, list[Indicator]] = field(default_factory=lambda: defaultdict(list))
    values: dict[int, list[IndicatorValue]] = field(default_factory=lambda: defaultdict(list))

    def latest(self, indicator: Indicator) -> float | None:
        values = self.values.get(indicator.id)
        return values[-1].value if values else None

    def indicator_progress(self, indicator: Indicator) -> float:
        return indicator_progress(indicator.baseline_value, indicator.target_value, self.latest(indicator))

    def progress(self) -> dict[int, float]:
        """Every node's progress, computed bottom-up once."""
        result: dict[int, float] = {}

        def visit(node: GoalNode) -> float:
            kids = self.children.get(node.id, [])
            for kid in kids:
                visit(kid)
            if kids:
                counted = [kid for kid in kids if kid.status != "dropped"]
                total = sum(kid.weight for kid in counted)
                if not counted:
                    value = 0.0
                elif total > 0:
                    value = sum(kid.weight * result[kid.id] for kid in counted) / total
                else:
                    value = sum(result[kid.id] for kid in counted) / len(counted)
            elif node.status == "done":
                value = 1.0
            elif node.status == "in_progress":
                own = [self.indicator_progress(i) for i in self.indicators.get(node.id, [])]
                value = sum(own) / len(own) if own else 0.0
            else:
                value = 0.0
            result[node.id] = value
            return value

        for root in self.children.get(None, []):
            visit(root)
        return result


def load_tree(process: Process, *, as_of: date | None = None) -> TreeData:
    """The process's tree in three queries; with `as_of`, only values measured up to that date."""
    data = TreeData()
    for node in db.session.scalars(db.select(GoalNode).filter_by(process_id=process.id)
                                   .order_by(GoalNode.position, GoalNode.id)):
        data.nodes[node.id] = node
        data.children[node.parent_id].append(node)
    for indicator in db.session.scalars(
            db.select(Indicator).join(GoalNode).where(GoalNode.process_id == process.id)
            .order_by(Indicator.position, Indicator.id)):
        data.indicators[indicator.node_id].append(indicator)
    values = (db.select(IndicatorValue).join(Indicator).join(GoalNode)
              .where(GoalNode.process_id == process.id).order_by(IndicatorValue.measured_on))
    if as_of is not None:
        values = values.where(IndicatorValue.measured_on <= as_of)
    for value in db.session.scalars(values):
        data.values[value.indicator_id].append(value)
    return data


def tree_progress(process: Process, *, as_of: date | None = None) -> dict[int, float]:
    """The progress of every node of the process, by node id, from a handful of queries."""
    return load_tree(process, as_of=as_of).progress()


def node_progress(node: GoalNode) -> float:
    """The progress of one node, 0..1 (the rules are at the top of this module)."""
    return tree_progress(node.process)[node.id]
