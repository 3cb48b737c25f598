"""What the board shows: its columns, the places an idea can be moved to, and the filters it keeps."""
import uuid
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import ActionField, Cluster, Contribution, GoalNode, GoalNodeIdea, Process
from app.models.base import localized
from app.models.contribution import ORIGINS
from app.services.administration import processes
from app.services.sorting import sorting
from app.safety import bounded_int
from app.services.errors import DomainError
from app.services.sorting.sorting import BoardFilters

UNSORTED = "unsorted"
# Cards shown per cluster or column at first, and per "show more": a board of a thousand ideas
# stays a page of a few hundred cards (bench/board.py).
PAGE = 40
# The filter parameters of the board's address; every form and redirect keeps them.
FILTER_KEYS = ("event", "round", "table", "language", "dots", "q", "origin", "sure")


@dataclass
class Group:
    """The ideas of one cluster of a field, or (cluster None) those of the field in no cluster."""

    cluster: Cluster | None
    target: str
    ideas: list[Contribution] = field(default_factory=list)
    limit: int = PAGE

    @property
    def shown(self) -> list[Contribution]:
        return self.ideas[:self.limit]

    @property
    def more(self) -> int:
        """How many of its ideas the page leaves for "show more"."""
        return max(0, len(self.ideas) - self.limit)


@dataclass
class Column:
    field: ActionField | None  # None: unsorted
    target: str
    groups: list[Group]

    @property
    def count(self) -> int:
        return sum(len(group.ideas) for group in self.groups)


@dataclass
class Target:
    value: str
    label: str
    language: str  # of the label, for the option's lang (an option cannot hold a <bdi>)


def target_of(idea: Contribution) -> str:
    """Where an idea is now, as the move forms name it."""
    if idea.cluster_id:
        return f"cluster-{idea.cluster_id}"
    if idea.action_field_id:
        return f"field-{idea.action_field_id}"
    return UNSORTED


def columns(process: Process, clusters: list[Cluster], ideas: list[Contribution], limit: int = PAGE) -> list[Column]:
    """Unsorted first, then one column per field in its order: its named clusters, then the rest;
    each group shows its first `limit` ideas."""
    unsorted = Column(None, UNSORTED, [Group(None, UNSORTED, limit=limit)])
    by_target = {UNSORTED: unsorted.groups[0]}
    result = [unsorted]
    for action_field in process.action_fields:
        groups = [Group(c, f"cluster-{c.id}", limit=limit) for c in clusters if c.action_field_id == action_field.id]
        groups.append(Group(None, f"field-{action_field.id}", limit=limit))
        by_target.update((group.target, group) for group in groups)
        result.append(Column(action_field, f"field-{action_field.id}", groups))
    for idea in ideas:
        group = by_target.get(target_of(idea)) or by_target.get(f"field-{idea.action_field_id}", by_target[UNSORTED])
        group.ideas.append(idea)
    return result


def targets(process: Process, clusters: list[Cluster], locale: str) -> list[Target]:
    """Every place an idea can go: unsorted, each field, and each cluster as "Field › Cluster".

    A field is named in `locale` where it can be; a cluster, named by staff in the process's
    language, with its field in that language too, so that each label is in one language.
    """
    result = [Target(UNSORTED, str(_l("Unsortiert")), locale)]
    for action_field in process.action_fields:
        name, language = localized(action_field.name, locale)
        result.append(Target(f"field-{action_field.id}", name, language))
        own_name, own_language = localized(action_field.name, process.default_language)
        result.extend(Target(f"cluster-{c.id}", f"{own_name} › {c.name}", own_language)
                      for c in clusters if c.action_field_id == action_field.id)
    return result


def resolve(process: Process, value: str | None) -> tuple[ActionField | None, Cluster | None]:
    """The field and cluster a move form names, looked up only within `process`."""
    kind, _, ident = (value or "").partition("-")
    ident = ident if bounded_int(ident) is not None else ""  # no such id: refused below
    if kind == UNSORTED and not ident:
        return None, None
    if kind == "field" and ident.isdigit():
        return processes.action_field_of(process, int(ident)), None
    if kind == "cluster" and ident.isdigit():
        cluster = sorting.cluster_of_process(process, int(ident))
        return cluster.action_field, cluster
    raise DomainError(_l("Bitte wählen Sie aus, wohin die Ideen sollen."))


def card_uuid(value: str | None) -> str | None:
    """A card's UUID sent by a form (for an #anchor), or None if it is none."""
    try:
        return str(uuid.UUID(value)) if value else None
    except ValueError:
        return None


def _number(value: str | None) -> int | None:
    return bounded_int(value) if value and value.strip().isdigit() else None


def filters_from(args) -> tuple[BoardFilters, dict]:
    """The board's filters from its query string, and the parameters to keep in every link."""
    kept = {key: args.get(key).strip() for key in FILTER_KEYS if (args.get(key) or "").strip()}
    filters = BoardFilters(
        event_id=_number(kept.get("event")), round_number=_number(kept.get("round")),
        table_number=_number(kept.get("table")), language=kept.get("language") or None,
        min_dots=_number(kept.get("dots")) or 0, search=kept.get("q", "")[:200],
        origin=kept.get("origin") if kept.get("origin") in ORIGINS else None,
        min_confidence=min(_number(kept.get("sure")) or 0, 100),
    )
    return filters, kept


def nodes_fed(process: Process) -> dict[int, list[tuple]]:
    """For each idea of the process that fed the goal tree: the nodes it fed, as (uuid, title)."""
    fed: dict[int, list[tuple]] = {}
    rows = db.session.execute(
        db.select(GoalNodeIdea.contribution_id, GoalNode.uuid, GoalNode.title).join(GoalNode)
        .where(GoalNode.process_id == process.id).order_by(GoalNode.position, GoalNode.id))
    for idea_id, node_uuid, title in rows:
        fed.setdefault(idea_id, []).append((node_uuid, title))
    return fed
