"""The demo's workshop and interview (issue 21): a Fachworkshop bound to the field "Wohnen und
Quartier" with two rounds, ideas from phones, a host and the online phase (one of them Turkish with
its German translation, one from an invited expert), all landing in that field; two actors of the
register invited; and an interview with the head of the adult education centre (role and
organisation only) with notes and three statements of origin "interview".

Demo content is data, not interface text, so nothing here is marked for translation. Call
`seed(process)` after the demo's café and goal tree exist (demo.seed_demo); it is idempotent: the
workshop and the interview are found again by title and by role and organisation, the actors by
name (with the same details demo_actors gives them), and nothing is added twice. Where the goal tree
has the matching nodes, some of these ideas are linked to them, so they reach the tree marked.
"""
from datetime import date, timedelta

from app.extensions import db
from app.languages import interface_codes
from app.models import (ActionField, Actor, Contribution, ContributionTranslation, Event, GoalNode, Interview,
                        Participant, Process, Seat)
from app.models.base import utcnow
from app.services.administration import actors
from app.services.administration.demo_actors import DEMO_ACTORS
from app.services.cafe import events, interviews, joining, workshops
from app.services.goals import goaltree
from app.services.sorting.sorting import land_in_event_field
from app.tokens import new_token

WORKSHOP_TITLE = "Fachworkshop Wohnen und Quartier"
WORKSHOP_FIELD = "Wohnen und Quartier"
INVITED = ["Dr. Aylin Kaya, Sprachförderung", "Caritas Herdecke"]
EXPERT = INVITED[0]
WORKSHOP_QUESTIONS = [
    {"de": "Was macht aus Nebeneinander-Wohnen eine gute Nachbarschaft – für Alteingesessene und Neuzugezogene?"},
    {"de": "Wie finden Familien aus den Gemeinschaftsunterkünften eine eigene Wohnung, und wer kann dabei helfen?"},
]
TABLE_NAMES = ["Nachbarschaft", "Wohnraum"]
DEMO_INTERPRETER = "Sprachmittlung (Demo)"

# Where an idea came from: (round number, table number or None, origin, language, text, German
# translation or None, written by the invited expert, German title of a goal node it fed or None).
WORKSHOP_IDEAS = [
    (1, 1, "participant", "de", "Offene Nachbarschaftstreffs im Erdgeschoss der großen Wohnblocks, ohne Konsumzwang.",
     None, False, "Quartierstreffs ohne Konsumzwang"),
    (1, 1, "participant", "de", "Ein Hoffest im Sommer, bei dem alte und neue Nachbarn zusammen kochen.",
     None, False, None),
    (1, 1, "participant", "de", "Mehrsprachige Hausordnungen und ein Willkommensbrief der Vermieter für neue Mieter.",
     None, False, None),
    (1, 1, "participant", "tr", "Kiracılar için Türkçe danışmanlık saatleri olsun; kira sözleşmelerini anlamak çok zor.",
     "Beratungsstunden für Mieterinnen und Mieter auf Türkisch; Mietverträge sind sehr schwer zu verstehen.",
     False, None),
    (1, 2, "participant", "de", "Eine Wohnraumbörse der Stadt, die Vermieter und Familien aus den Unterkünften "
     "zusammenbringt.", None, False, "Wohnraumvermittlung mit Ansprechpartner für Vermieter"),
    (1, 2, "participant", "de", "Eine feste Ansprechperson im Rathaus für Vermieter, die an Geflüchtete vermieten "
     "wollen.", None, False, "Wohnraumvermittlung mit Ansprechpartner für Vermieter"),
    (2, 2, "host", "de", "Spielplätze als Treffpunkte: Bänke und Schatten, damit Eltern ins Gespräch kommen.",
     None, False, None),
    (1, None, "online", "de", "Lesepatenschaften im Haus: Nachbarinnen lesen mit Kindern, deren Eltern noch wenig "
     "Deutsch sprechen – das verbindet Familien über die Etagen hinweg.", None, True, None),
]

INTERVIEW_ROLE = "Leitung"
INTERVIEW_ORGANISATION = "Volkshochschule Witten-Wetter-Herdecke"
INTERVIEW_FIELD = "Sprache und Bildung"
INTERVIEW_NOTES = ("Gespräch in der Geschäftsstelle der VHS, etwa 60 Minuten.\n"
                   "Aussagen mit Einverständnis notiert; der Name wird nicht veröffentlicht.\n"
                   "Nachfragen: Zahlen zu Kursabbrüchen schickt die VHS nach.")
# Statement, German title of a goal node it fed or None.
INTERVIEW_STATEMENTS = [
    ("Viele Frauen brechen den Deutschkurs ab, weil die Kinderbetreuung fehlt; Kurse mit Betreuung sind sofort voll.",
     "Deutschkurse mit Kinderbetreuung"),
    ("Wir brauchen Kurse am Abend und am Wochenende für Berufstätige.", None),
    ("Auf einen Integrationskurs warten Neuzugezogene oft vier Monate; Sprachcafés können diese Zeit überbrücken.",
     "Sprachcafés in Ende, Westende und Kirchende"),
]


def seed(process: Process) -> Event | None:
    """The demo's workshop with its ideas and invitations, and the interview with its statements,
    unless made before; returns the workshop (None where the process lacks its action field)."""
    fields = {field.name.get("de"): field for field in process.action_fields}
    if WORKSHOP_FIELD not in fields:
        return None
    invited = [_actor(process, name, fields) for name in INVITED]
    workshop = db.session.scalar(db.select(Event).filter_by(process_id=process.id, title=WORKSHOP_TITLE,
                                                            format="workshop"))
    if workshop is None:
        workshop = _workshop(process, fields[WORKSHOP_FIELD], invited)
    _interview(process, fields.get(INTERVIEW_FIELD))
    db.session.flush()
    return workshop


def _actor(process: Process, name: str, fields: dict[str, ActionField]) -> Actor:
    """The register's actor of that name, made as demo_actors makes it where it is missing."""
    found = db.session.scalar(db.select(Actor).filter_by(process_id=process.id, name=name).order_by(Actor.id))
    if found is not None:
        return found
    _name, kind, contact, languages, field_names, notes, _responsible = next(
        entry for entry in DEMO_ACTORS if entry[0] == name)
    actor = actors.save_actor(process, name=name, kind=kind, contact=contact, languages=languages,
                              field_ids=[fields[f].id for f in field_names if f in fields], notes=notes)
    actors.issue_link(actor)
    return actor


def _workshop(process: Process, field: ActionField, invited: list[Actor]) -> Event:
    today = date.today()
    workshop = events.create_event(
        process, WORKSHOP_TITLE, format="workshop", starts_on=today, venue="Gemeindezentrum Herdecke-Ost",
        languages=["de", "tr", "ar"], table_count=len(TABLE_NAMES), questions=WORKSHOP_QUESTIONS, round_minutes=30)
    workshops.bind_to_field(workshop, field.id)
    # Open to the invited and to everyone with the link from a week before to a week after.
    workshop.online_starts_on, workshop.online_ends_on = today - timedelta(days=7), today + timedelta(days=7)
    for table, name in zip(workshop.tables, TABLE_NAMES):
        table.name = name
    started = utcnow() - timedelta(hours=2)
    for round_ in workshop.rounds:  # the meeting was this morning: both rounds are over
        round_.state, round_.started_at = "closed", started + timedelta(minutes=40 * (round_.number - 1))
        round_.closed_at = round_.started_at + timedelta(minutes=round_.duration_minutes)
    workshops.invite(workshop, [actor.id for actor in invited])
    expert = next(actor for actor in invited if actor.name == EXPERT)
    linked: dict[str, list[Contribution]] = {}
    for number, table_number, origin, language, text, german, by_expert, node_title in WORKSHOP_IDEAS:
        idea = Contribution(event=workshop, round=workshop.rounds[number - 1], text=text, language=language,
                            origin=origin, participant=_author(workshop, origin, language, expert if by_expert else None),
                            table=workshop.tables[table_number - 1] if table_number else None)
        if idea.participant is not None and idea.table is not None:
            db.session.add(Seat(participant=idea.participant, round=idea.round, table=idea.table))
        if german:
            idea.translations.append(ContributionTranslation(language="de", text=german, made_by=DEMO_INTERPRETER))
        land_in_event_field(idea)  # as every idea of a workshop bound to a field does
        db.session.add(idea)
        if node_title:
            linked.setdefault(node_title, []).append(idea)
    db.session.flush()
    _link(process, linked)
    return workshop


def _author(workshop: Event, origin: str, language: str, expert: Actor | None) -> Participant | None:
    """A pseudonymous participant for an idea from a phone or the online phase (the invited expert's
    own for theirs); none for a host's."""
    if origin == "host":
        return None
    participant = Participant(event=workshop, token=new_token(), number=joining.next_number(workshop),
                              interface_language=language if language in interface_codes() else "de",
                              writing_language=language, actor_id=expert.id if expert else None)
    db.session.add(participant)
    return participant


def _interview(process: Process, field: ActionField | None) -> Interview:
    found = db.session.scalar(
        db.select(Interview).join(Event, Interview.event_id == Event.id)
        .where(Event.process_id == process.id, Interview.role == INTERVIEW_ROLE,
               Interview.organisation == INTERVIEW_ORGANISATION).order_by(Interview.id))
    if found is not None:
        return found
    first_of_month = date.today().replace(day=1)
    interview = interviews.save_interview(
        process, role=INTERVIEW_ROLE, organisation=INTERVIEW_ORGANISATION, notes=INTERVIEW_NOTES,
        held_on=first_of_month - timedelta(days=12))  # last month
    statements, _created = interviews.add_statements(
        interview, "\n".join(text for text, _node in INTERVIEW_STATEMENTS), key="demo-interview-vhs",
        language="de", field_id=field.id if field is not None else None)
    linked: dict[str, list[Contribution]] = {}
    for statement, (_text, node_title) in zip(statements, INTERVIEW_STATEMENTS):
        if node_title:
            linked.setdefault(node_title, []).append(statement)
    _link(process, linked)
    return interview


def _link(process: Process, linked: dict[str, list[Contribution]]) -> None:
    """Link ideas to the goal-tree nodes of these German titles, where the tree has them."""
    if not linked:
        return
    nodes = {node.title.get("de"): node for node in db.session.scalars(
        db.select(GoalNode).filter_by(process_id=process.id).order_by(GoalNode.id))}
    for title, ideas in linked.items():
        if title in nodes:
            goaltree.link_ideas(nodes[title], ideas)
