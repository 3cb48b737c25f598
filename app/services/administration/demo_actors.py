"""The demo's register of local actors: associations, institutions and an expert of a town like
Herdecke, each with a personal link, some responsible for goals of the demo's tree, and three
pieces of feedback given through their links (a concern, an agreement, a comment).

Demo content is data, not interface text, so nothing here is marked for translation. Call
`seed(process)` after the goal tree is built (demo_goaltree.seed_goal_tree); it is idempotent:
actors are found again by name, links, responsibilities and feedback are added only where missing.
"""
from app.extensions import db
from app.models import Actor, Comment, GoalNode, Process
from app.services.administration import actors
from app.services.goals import actors as goal_actors

# Name, kind, contact, languages, action fields (German names), notes, responsible for (German node titles).
DEMO_ACTORS = [
    ("Caritas Herdecke", "association", "Migrationsdienst, Frau Schäfer, Tel. 02330 000-11",
     ["de", "ar", "uk"], ["Teilhabe und Engagement", "Wohnen und Quartier"],
     "Berät Geflüchtete; bringt Ehrenamtliche in die Patenschaften.",
     ["Patenschaften für neu zugezogene Familien"]),
    ("Integrationsrat der Stadt Herdecke", "institution", "Geschäftsstelle im Rathaus, Tel. 02330 000-20",
     ["de", "tr", "ar"], ["Ausbildung und Arbeit", "Sprache und Bildung", "Wohnen und Quartier",
                          "Teilhabe und Engagement"],
     "Berät den Rat; soll den Zielbaum vor dem Beschluss sehen.", ["Mehrsprachige Information für alle"]),
    ("Volkshochschule Witten-Wetter-Herdecke", "institution", "Fachbereich Deutsch, Tel. 02302 000-30",
     ["de", "en"], ["Sprache und Bildung"], "", ["Deutschkurse mit Kinderbetreuung", "Sprachcafés in allen Ortsteilen"]),
    ("Sportverein Herdecke", "association", "Vorstand, info@sportverein-herdecke.example", ["de"],
     ["Teilhabe und Engagement"], "Offene Trainingszeiten für Neue.", ["Ehrenamt stärken und für Neue öffnen"]),
    ("Moscheegemeinde Herdecke", "association", "Gemeindevorstand, Tel. 02330 000-40", ["de", "tr", "ar"],
     ["Teilhabe und Engagement", "Sprache und Bildung"], "Räume für Sprachcafés am Vormittag angeboten.", []),
    ("Jobcenter Ennepe-Ruhr-Kreis", "institution", "Team Migration, Tel. 02336 000-50", ["de", "en", "ar"],
     ["Ausbildung und Arbeit"], "", ["Junge Zugewanderte finden ihren Weg in Ausbildung",
                                     "Mentoringprogramm Ausbildung"]),
    ("Dr. Aylin Kaya, Sprachförderung", "expert", "aylin.kaya@hochschule.example", ["de", "tr", "en"],
     ["Sprache und Bildung"], "Expertin für Sprachförderung im Grundschulalter; Fachworkshop Sprache und Bildung.",
     ["Deutschförderung und Hausaufgabenhilfe an Grundschulen"]),
]

# Actor, node (German title), kind, text.
DEMO_FEEDBACK = [
    ("Moscheegemeinde Herdecke", "Abendliches Sprachcafé in der Stadtbücherei", "concern",
     "Abends können viele Mütter mit kleinen Kindern nicht kommen. Bitte auch Termine am Vormittag anbieten, "
     "gern in unseren Gemeinderäumen."),
    ("Jobcenter Ennepe-Ruhr-Kreis", "Mentoringprogramm Ausbildung", "agree",
     "Wir gewinnen gern weitere Mentorinnen und Mentoren aus unserem Netzwerk."),
    ("Dr. Aylin Kaya, Sprachförderung", "Deutschförderung und Hausaufgabenhilfe an Grundschulen", "comment",
     "Die Förderung wirkt am besten, wenn die Herkunftssprachen der Kinder einbezogen werden. Ich empfehle, "
     "die Lehrkräfte des herkunftssprachlichen Unterrichts zu beteiligen."),
]


def seed(process: Process) -> list[Actor]:
    """The demo's actors of `process` with their links, responsibilities and feedback; made once."""
    fields = {field.name.get("de"): field.id for field in process.action_fields}
    nodes = {node.title.get("de"): node for node in db.session.scalars(
        db.select(GoalNode).filter_by(process_id=process.id).order_by(GoalNode.id))}
    by_name = {actor.name: actor for actor in actors.actors_of(process)}
    for name, kind, contact, languages, field_names, notes, responsible in DEMO_ACTORS:
        actor = by_name.get(name)
        if actor is None:
            actor = actors.save_actor(process, name=name, kind=kind, contact=contact, languages=languages,
                                      field_ids=[fields[f] for f in field_names if f in fields], notes=notes)
            by_name[name] = actor
            for title in responsible:
                node = nodes.get(title)
                if node is not None and actor not in node.actors:
                    node.actors.append(actor)
        if actor.token is None:
            actors.issue_link(actor)
    db.session.flush()
    for name, title, kind, text in DEMO_FEEDBACK:
        actor, node = by_name[name], nodes.get(title)
        if node is None:
            continue
        given = db.session.scalar(db.select(Comment.id).filter_by(actor_id=actor.id, node_id=node.id, kind=kind)
                                  .limit(1))
        if given is None:
            goal_actors.give_feedback(actor, node.uuid, kind, text)
    db.session.flush()
    return [by_name[entry[0]] for entry in DEMO_ACTORS]
