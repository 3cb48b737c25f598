"""The demo's steering group: two decisions on goal nodes, a concern on a node with the organisers'
answer, a comment on the evaluation snapshot, and an earlier snapshot ("Ausgangslage 2025") so
that two snapshots can be compared and the evaluation report has a period with decisions in it.

Demo content is data, not interface text, so nothing here is marked for translation. Call
`seed(process)` after the goal tree (demo_goaltree) and, for the answer, the demo organiser exist;
every part is looked up first (by name or text), so a second run adds nothing (but the answer, if
the organiser came only since).
"""
import secrets
from datetime import date, datetime, timezone

from app.extensions import db
from app.models import Comment, Decision, GoalNode, Membership, Process, Snapshot, User
from app.services.administration import users
from app.services.administration.demo_goaltree import SNAPSHOT_NAME
from app.services.goals import comments, decisions, goaltree, snapshots

STEERING_EMAIL = "steuerungsgruppe@demo.example"
STEERING_NAME = "Petra Lange (Steuerungsgruppe)"
EARLIER_NAME = "Ausgangslage 2025"
EARLIER_DAY = date(2025, 12, 31)
# How the tree stood at the end of 2025 where it differs from the demo's tree now (by German title).
EARLIER_STATUS = {
    "Deutschkurse mit Kinderbetreuung": "in_progress",
    "Praktikumsbörse mit Herdecker Betrieben": "in_progress",
    "Eigene Willkommens-App": "planned",
}
EARLIER_MISSING = "Fortbildung und Dankeschön-Abend für Ehrenamtliche"  # added in 2026

DECISIONS = [
    {"decided_on": date(2026, 3, 12), "meeting": "Steuerungsgruppe, 1. Sitzung 2026",
     "text": "Maßnahme „Deutschkurse mit Kinderbetreuung“ beschlossen und abgeschlossen: Die Volkshochschule "
             "übernimmt die Kurse mit Kinderbetreuung in ihr Regelangebot.",
     "nodes": ["Deutschkurse mit Kinderbetreuung", "Gleiche Bildungschancen für alle Kinder"]},
    {"decided_on": date(2026, 6, 18), "meeting": "Steuerungsgruppe, 2. Sitzung 2026",
     "text": "Die eigene Willkommens-App wird nicht weiterverfolgt; die Mittel gehen in die mehrsprachige "
             "Bürgerinfo und die Willkommensmappe.",
     "nodes": ["Eigene Willkommens-App", "Mehrsprachige Bürgerinfo und Willkommensmappe"]},
]
NODE_CONCERN = ("Bezahlbarer Wohnraum statt Gemeinschaftsunterkunft",
                "Der Zeitplan bis 2028 ist knapp: Wie viele Wohnungen stellt die Wohnungsbaugesellschaft "
                "tatsächlich bereit, und ab wann?")
NODE_ANSWER = ("Die Wohnungsbaugesellschaft nennt 25 Wohnungen bis Ende 2027. Wir legen die Zahlen in der "
               "nächsten Sitzung vor.")
SNAPSHOT_COMMENT = ("Bitte im Bericht an den Rat erläutern, warum die eigene Jobmesse verworfen wurde.")


def seed(process: Process) -> None:
    """Add the demo's steering data to `process` (the demo process), unless there already."""
    if goaltree.root_of(process) is None:
        return
    nodes = {node.display_title.get("de"): node
             for node in db.session.scalars(db.select(GoalNode).filter_by(process_id=process.id))}
    _earlier_snapshot(process)
    for spec in DECISIONS:
        if not db.session.scalar(db.select(Decision.id).filter_by(process_id=process.id, text=spec["text"])):
            decisions.add_decision(process, spec["decided_on"], spec["meeting"], spec["text"],
                                   [nodes[title] for title in spec["nodes"] if title in nodes])
    member, organiser = _steering_member(process), _organiser(process)
    node = nodes.get(NODE_CONCERN[0])
    concern = _comment(process, NODE_CONCERN[1])
    if node is not None and concern is None:
        concern = comments.add_comment(process, member, "concern", NODE_CONCERN[1], node=node)
    if concern is not None and organiser is not None and not concern.answers:  # answered once there is one
        comments.answer(concern, organiser, NODE_ANSWER)
    evaluation = db.session.scalar(db.select(Snapshot).filter_by(process_id=process.id, name=SNAPSHOT_NAME))
    if evaluation is not None and not _comment(process, SNAPSHOT_COMMENT):
        comments.add_comment(process, member, "comment", SNAPSHOT_COMMENT, snapshot=evaluation)
    db.session.flush()


def _comment(process: Process, text: str) -> Comment | None:
    return db.session.scalar(db.select(Comment).filter_by(process_id=process.id, text=text, parent_id=None))


def _steering_member(process: Process) -> User:
    """A member of the steering group; the account has a random password nobody is told."""
    user = users.find_user(STEERING_EMAIL)
    if user is None:
        user = users.create_user(STEERING_EMAIL, secrets.token_urlsafe(24), name=STEERING_NAME)
    users.grant_role(user, process, "steering")
    return user


def _organiser(process: Process) -> User | None:
    """The process's first organiser (the demo organiser), who answers."""
    return db.session.scalar(db.select(User).join(Membership).where(
        Membership.process_id == process.id, Membership.role == "organiser").order_by(Membership.id))


def _earlier_snapshot(process: Process) -> None:
    """The tree as it stood at the end of 2025: values measured up to then, three states as they
    were, one measure not yet there; frozen on that day."""
    if db.session.scalar(db.select(Snapshot.id).filter_by(process_id=process.id, name=EARLIER_NAME)):
        return
    document = snapshots.tree_document(process, as_of=EARLIER_DAY)
    taken_at = datetime(EARLIER_DAY.year, EARLIER_DAY.month, EARLIER_DAY.day, 17, tzinfo=timezone.utc)
    document["generated_at"] = taken_at.isoformat()
    todo = list(document["nodes"])
    while todo:
        node = todo.pop()
        node["status"] = EARLIER_STATUS.get(node["title"].get("de"), node["status"])
        node["children"] = [child for child in node["children"] if child["title"].get("de") != EARLIER_MISSING]
        todo.extend(node["children"])
    db.session.add(Snapshot(process_id=process.id, name=EARLIER_NAME, taken_at=taken_at, document=document))
