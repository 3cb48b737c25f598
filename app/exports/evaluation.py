"""The evaluation report: two states of the goal tree (two snapshots, or a snapshot and today) side
by side, for the council as DOCX (app/exports/evaluation_docx.py) and XLSX (evaluation_xlsx.py).

`evaluation_of` gathers what both formats show: every node with its state and progress before and
after, every indicator with its latest value before and after, the steering group's decisions
dated after the earlier state's day up to the later one's, and the indicator documents to draw.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale, to_user_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.exports import Download, check_language
from app.exports.common import latest, pick, process_title, slug, walk
from app.languages import locale_for
from app.models import Process, Snapshot
from app.models.base import utcnow
from app.services.errors import DomainError
from app.services.goals import decisions, snapshots

FORMATS = ("docx", "xlsx")
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHANGE_LABELS = {
    "added": _l("neu"),
    "removed": _l("weggefallen"),
    "dropped": _l("verworfen"),
    "changed": _l("verändert"),
    "unchanged": _l("unverändert"),
}
UNKNOWN_FORMAT = _l("Den Bericht gibt es als DOCX oder XLSX.")


@dataclass
class State:
    """One side of the comparison: a snapshot's, or today's tree (`snapshot` None)."""

    name: str
    taken_at: datetime
    document: dict
    snapshot: Snapshot | None = None

    @property
    def day(self) -> date:
        return to_user_timezone(self.taken_at).date()


@dataclass
class NodeRow:
    number: str  # in the tree it is in: the later one, else the earlier
    kind: str
    title: dict
    change: str  # a key of CHANGE_LABELS
    status_before: str | None
    status_after: str | None
    progress_before: float | None
    progress_after: float | None


@dataclass
class IndicatorRow:
    number: str  # of its node
    node_title: dict
    indicator: dict  # the later document's, else the earlier's: what the chart draws
    before: float | None  # the latest value in each state
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 10)


@dataclass
class Evaluation:
    title: str
    old: State
    new: State
    nodes: list[NodeRow]
    indicators: list[IndicatorRow]
    decisions: list  # Decision rows, oldest first

    def count(self, change: str) -> int:
        return sum(1 for row in self.nodes if row.change == change)


def state_of(process: Process, snapshot: Snapshot | None) -> State:
    if snapshot is None:
        return State(_("Heute"), utcnow(), snapshots.tree_document(process))
    return State(snapshot.name, snapshot.taken_at, snapshot.document, snapshot)


def _change(before: dict | None, after: dict | None, indicators_moved: bool) -> str:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    if after["status"] == "dropped" and before["status"] != "dropped":
        return "dropped"
    if before["status"] != after["status"] or before["progress"] != after["progress"] or indicators_moved:
        return "changed"
    return "unchanged"


def evaluation_of(process: Process, old: Snapshot, new: Snapshot | None) -> Evaluation:
    """What changed from `old` to `new` (None: today), and what was decided in between."""
    earlier, later = state_of(process, old), state_of(process, new)
    snapshots.compare(earlier.document, later.document)  # refuses a document of an unknown format
    old_entries, new_entries = walk(earlier.document), walk(later.document)
    old_by_uuid = {entry.node["uuid"]: entry for entry in old_entries}
    new_uuids = {entry.node["uuid"] for entry in new_entries}
    old_indicators = {i["uuid"]: i for entry in old_entries for i in entry.node.get("indicators") or []}
    new_indicators = {i["uuid"] for entry in new_entries for i in entry.node.get("indicators") or []}

    nodes, indicators = [], []
    for entry in new_entries:
        node, before = entry.node, old_by_uuid.get(entry.node["uuid"])
        moved = False
        for indicator in node.get("indicators") or []:
            previous = old_indicators.get(indicator["uuid"])
            row = IndicatorRow(entry.number, node["title"], indicator,
                               latest(previous)[0] if previous else None, latest(indicator)[0])
            moved = moved or row.before != row.after
            indicators.append(row)
        nodes.append(NodeRow(entry.number, node["kind"], node["title"], _change(before and before.node, node, moved),
                             before.node["status"] if before else None, node["status"],
                             before.node["progress"] if before else None, node["progress"]))
    for entry in old_entries:
        node = entry.node
        if node["uuid"] not in new_uuids:
            nodes.append(NodeRow(entry.number, node["kind"], node["title"], "removed", node["status"], None,
                                 node["progress"], None))
        for indicator in node.get("indicators") or []:
            if indicator["uuid"] not in new_indicators:
                indicators.append(IndicatorRow(entry.number, node["title"], indicator, latest(indicator)[0], None))
    period = decisions.decisions_of(process, after=earlier.day, until=later.day)
    return Evaluation(process_title(later.document) or process.title, earlier, later, nodes, indicators,
                      sorted(period, key=lambda d: (d.decided_on, d.id)))


def node_titles(decision, language: str) -> str:
    """The titles of the nodes a decision concerns, joined as a list."""
    # Translators: between the names in a list; Arabic has its own comma ("، ").
    return _(", ").join(pick(node.display_title, language) for node in decision.nodes)


def evaluation_file(process: Process, old: Snapshot, new: Snapshot | None, fmt: str, language: str) -> Download:
    """The report as a download: evaluation-<process>-<earlier day>-<later day>-<language>.<format>."""
    if fmt not in FORMATS:
        raise DomainError(UNKNOWN_FORMAT)
    check_language(language)
    with force_locale(locale_for(language)):
        evaluation = evaluation_of(process, old, new)
        if fmt == "docx":
            from app.exports.evaluation_docx import report
        else:
            from app.exports.evaluation_xlsx import workbook as report
        content = report(evaluation, language)
    parts = ["evaluation", slug(evaluation.title) or "prozess", evaluation.old.day.isoformat(),
             evaluation.new.day.isoformat(), language]
    return Download(content, MIMETYPES[fmt], "-".join(parts) + f".{fmt}")
