"""The open data of a process: its ideas without authors, action fields, vote totals, goal tree,
indicators and their values, as rows a municipal open-data portal can publish.

Nothing in it names or points to a person: no nickname, name, address, link, token, table host,
translator, actor or interviewee; no responsibility of a goal node (those are people and
organisations of the register) and no hidden or not yet released idea. An idea's language, table,
round and day of writing are given only where at least MIN_GROUP ideas share them, alone and in
combination within their event (`suppress_small_groups`), the same rule as the public pages.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ActionField, Contribution, Event, Process, Vote
from app.services.goals import snapshots

MIN_GROUP = 5
# The columns that could tell who wrote an idea, the least telling last: where a combination is
# shared by fewer than MIN_GROUP ideas, they are blanked in this order until it is not.
QUASI_IDENTIFIERS = ("table", "round", "written_on", "origin", "language")


@dataclass
class OpenData:
    process: Process
    ideas: list[dict]
    action_fields: list[dict]
    nodes: list[dict]
    indicators: list[dict]
    values: list[dict]


def _visible_ideas(process: Process) -> list[Contribution]:
    return list(db.session.scalars(
        db.select(Contribution).join(Event)
        .where(Event.process_id == process.id, Contribution.hidden_at.is_(None),
               Contribution.awaiting_release.is_(False))
        .options(selectinload(Contribution.translations), selectinload(Contribution.event),
                 selectinload(Contribution.round), selectinload(Contribution.table))
        .order_by(Event.id, Contribution.id)))


def suppress_small_groups(rows: list[dict]) -> None:
    """Blank, in place, each quasi-identifier value that fewer than MIN_GROUP rows share, alone and
    then together with the other published ones within the row's event."""
    for column in QUASI_IDENTIFIERS:
        counts = Counter((row["event"], row[column]) for row in rows)
        for row in rows:
            if row[column] is not None and counts[(row["event"], row[column])] < MIN_GROUP:
                row[column] = None
    def key(row):
        return (row["event"], *(row[c] for c in QUASI_IDENTIFIERS))
    for column in QUASI_IDENTIFIERS:
        counts = Counter(key(row) for row in rows)
        for row in rows:
            if counts[key(row)] < MIN_GROUP:
                row[column] = None


def _idea_rows(process: Process, node_ids: dict[str, list[str]], field_ids: dict[int, str]) -> list[dict]:
    ideas = _visible_ideas(process)
    dots = dict(db.session.execute(
        db.select(Vote.contribution_id, func.count()).join(Contribution, Contribution.id == Vote.contribution_id)
        .join(Event).where(Event.process_id == process.id).group_by(Vote.contribution_id)).all())
    shown = {idea.id: idea for idea in ideas}  # a merge points only to an idea in the package
    rows = []
    for idea in ideas:
        german = next((t for t in idea.translations if t.language == "de"), None)
        rows.append({
            "id": str(idea.uuid),
            "text": idea.text,
            "language": idea.language,
            "text_de": idea.text if idea.language == "de" else (german.text if german else ""),
            "text_de_machine_translated": bool(german and german.machine),
            "translations": {t.language: t.text for t in idea.translations},
            "event": str(idea.event.uuid),
            "event_title": idea.event.title,
            "event_format": idea.event.format,
            "origin": "interview" if idea.origin == "interview" else (
                "online" if idea.origin == "online" else "cafe"),
            "round": idea.round.number if idea.round else None,
            "table": idea.table.number if idea.table else None,
            "written_on": idea.created_at.date().isoformat(),
            "action_field": field_ids.get(idea.action_field_id),
            "status": idea.status,
            "merged_into": str(shown[idea.merged_into_id].uuid) if idea.merged_into_id in shown else None,
            "dots": int(dots.get(idea.id, 0)),
            "goal_nodes": node_ids.get(str(idea.uuid), []),
        })
    suppress_small_groups(rows)
    for row in rows:
        if row["language"] is None:  # nor read it off the translations
            translated = row["text_de"] != row["text"]
            row.update(text_de=row["text_de"] if translated else "", text_de_machine_translated=None,
                       translations={})
    # In the order of their random identifiers: the order of writing would tell a blanked day or table.
    return sorted(rows, key=lambda row: row["id"])


def _tree_rows(process: Process, field_ids_by_uuid: dict[str, str]):
    """Nodes, indicators and values of the tree, without who is responsible."""
    document = snapshots.tree_document(process)
    nodes, indicators, values, ideas_of = [], [], [], defaultdict(list)

    def walk(node: dict, parent: str | None, depth: int) -> None:
        nodes.append({"id": node["uuid"], "parent": parent, "depth": depth, "kind": node["kind"],
                      "title": node["title"], "description": node["description"], "status": node["status"],
                      "starts_on": node["starts_on"], "ends_on": node["ends_on"], "weight": node["weight"],
                      "progress": node["progress"], "action_field": field_ids_by_uuid.get(node["action_field_uuid"]),
                      "ideas": [idea["uuid"] for idea in node["ideas"]]})
        for idea in node["ideas"]:
            ideas_of[idea["uuid"]].append(node["uuid"])
        for indicator in node["indicators"]:
            indicators.append({"id": indicator["uuid"], "node": node["uuid"], "name": indicator["name"],
                               "unit": indicator["unit"], "data_source": indicator["data_source"],
                               "baseline_value": indicator["baseline"]["value"],
                               "baseline_on": indicator["baseline"]["date"],
                               "target_value": indicator["target"]["value"], "target_on": indicator["target"]["date"],
                               "progress": indicator["progress"]})
            values.extend({"indicator": indicator["uuid"], "date": v["date"], "value": v["value"]}
                          for v in indicator["values"])
        for child in node["children"]:
            walk(child, node["uuid"], depth + 1)
    for root in document["nodes"]:
        walk(root, None, 0)
    return nodes, indicators, values, ideas_of


def open_data(process: Process) -> OpenData:
    fields = list(db.session.scalars(db.select(ActionField).filter_by(process_id=process.id)
                                     .order_by(ActionField.position, ActionField.id)))
    field_ids = {field.id: str(field.uuid) for field in fields}
    nodes, indicators, values, ideas_of = _tree_rows(process, {str(f.uuid): str(f.uuid) for f in fields})
    ideas = _idea_rows(process, ideas_of, field_ids)
    per_field = Counter(row["action_field"] for row in ideas)
    dots_per_field = Counter()
    for row in ideas:
        dots_per_field[row["action_field"]] += row["dots"]
    action_fields = [{"id": str(field.uuid), "name": dict(field.name), "description": dict(field.description),
                      "keywords": list(field.keywords), "colour": field.colour,
                      "ideas": per_field.get(str(field.uuid), 0), "dots": dots_per_field.get(str(field.uuid), 0)}
                     for field in fields]
    return OpenData(process, ideas, action_fields, nodes, indicators, values)
