"""The demo's goal tree: four fields' goals and measures, indicators, ideas, one evaluation snapshot.

Demo content is data, not interface text, so nothing here is marked for translation. Dates are
fixed so that every run builds the same tree; only the snapshot's own time is now.
"""
from datetime import date as d  # short, for the many dates of the data below

from app.extensions import db
from app.models import ActionField, Contribution, Event, GoalNode, Process, Snapshot
from app.services.goals import goaltree, indicators, snapshots
from app.services.sorting import sorting, suggestions

SNAPSHOT_NAME = "Evaluation 2026"
LEITZIEL = {
    "de": "Zusammenleben in Vielfalt – alle gestalten mit",
    "en": "Living together in diversity – everyone has a hand in it",
    "ar": "نعيش معًا في تنوّع – والجميع يشارك في التشكيل",
}
IDEAS_PER_NODE = 3

# Per action field (by its German name): goals ("ziel"), each with measures or sub-goals. "ideas"
# are keywords matched in the ideas' German text; "cluster" gathers them into a board cluster first.
# An indicator's "values" are known at the evaluation, its "later" ones are measured after it.
TREE = {
    "Ausbildung und Arbeit": [
        {"title": "Junge Zugewanderte finden ihren Weg in Ausbildung",
         "responsible": ["Jobcenter", "Agentur für Arbeit"], "status": "in_progress", "weight": 2,
         "starts_on": d(2025, 1, 1), "ends_on": d(2030, 12, 31), "ideas": ["Ausbildungspaten", "Azubis"],
         "children": [
             {"kind": "massnahme", "title": "Mentoringprogramm Ausbildung",
              "responsible": ["Jobcenter", "Handwerkskammer"], "status": "in_progress", "weight": 2,
              "starts_on": d(2025, 3, 1), "ends_on": d(2028, 12, 31),
              "indicators": [{
                  "name": "Über das Mentoring vermittelte Ausbildungsplätze", "unit": "Anzahl",
                  "baseline": (0, d(2025, 3, 1)), "target": (40, d(2028, 12, 31)),
                  "source": "Jobcenter Ennepe-Ruhr-Kreis",
                  "values": [(d(2025, 9, 30), 7), (d(2026, 3, 31), 15)], "later": [(d(2026, 9, 30), 24)]}]},
             {"kind": "massnahme", "title": "Praktikumsbörse mit Herdecker Betrieben",
              "responsible": ["Wirtschaftsförderung"], "status": "done",
              "starts_on": d(2025, 1, 1), "ends_on": d(2025, 12, 31), "ideas": ["Praktikum"]},
         ]},
        {"title": "Abschlüsse schneller anerkennen",
         "responsible": ["Integrationsbeauftragte"], "status": "in_progress",
         "starts_on": d(2025, 6, 1), "ends_on": d(2029, 12, 31), "ideas": ["anerkannt", "Anerkennung"],
         "children": [
             {"kind": "massnahme", "title": "Anerkennungslotsin im Rathaus",
              "responsible": ["Integrationsbeauftragte", "Kommunales Integrationszentrum"], "status": "in_progress",
              "starts_on": d(2025, 6, 1), "ends_on": d(2029, 12, 31),
              "indicators": [{
                  "name": "Mittlere Dauer bis zur Anerkennung eines Abschlusses", "unit": "Monate",
                  "baseline": (14, d(2025, 6, 1)), "target": (6, d(2029, 12, 31)),
                  "source": "Kommunales Integrationszentrum",
                  "values": [(d(2026, 1, 31), 12)], "later": [(d(2026, 8, 31), 10)]}]},
             {"kind": "massnahme", "title": "Eigene Jobmesse in Herdecke",
              "responsible": ["Wirtschaftsförderung"], "status": "dropped",
              "starts_on": d(2025, 9, 1), "ends_on": d(2026, 3, 31), "ideas": ["Jobmesse"],
              "description": "Verworfen: die Praktikumsbörse erreicht die Betriebe direkter."},
         ]},
    ],
    "Sprache und Bildung": [
        {"title": "Sprachcafés in allen Ortsteilen", "cluster": ["Sprachcaf"],
         "responsible": ["Volkshochschule", "Stadtbücherei"], "status": "in_progress", "weight": 2,
         "starts_on": d(2025, 1, 1), "ends_on": d(2027, 12, 31), "children": [
             {"kind": "massnahme", "title": "Abendliches Sprachcafé in der Stadtbücherei",
              "responsible": ["Stadtbücherei"], "status": "done",
              "starts_on": d(2025, 1, 1), "ends_on": d(2025, 6, 30)},
             {"kind": "massnahme", "title": "Sprachcafés in Ende, Westende und Kirchende",
              "responsible": ["Volkshochschule", "Kirchengemeinden"], "status": "in_progress",
              "starts_on": d(2025, 9, 1), "ends_on": d(2027, 12, 31),
              "indicators": [{
                  "name": "Ortsteile mit wöchentlichem Sprachcafé", "unit": "Ortsteile",
                  "baseline": (1, d(2025, 1, 1)), "target": (6, d(2027, 12, 31)), "source": "Volkshochschule",
                  "values": [(d(2025, 12, 31), 2), (d(2026, 3, 31), 3)], "later": [(d(2026, 10, 15), 4)]}]},
         ]},
        {"title": "Gleiche Bildungschancen für alle Kinder",
         "responsible": ["Schulamt", "Kommunales Integrationszentrum"], "status": "in_progress",
         "starts_on": d(2024, 8, 1), "ends_on": d(2030, 7, 31),
         "indicators": [{
             "name": "Anteil Jugendlicher ohne Schulabschluss", "unit": "%",
             "baseline": (9, d(2024, 7, 31)), "target": (5, d(2030, 7, 31)), "source": "IT.NRW, Schulstatistik",
             "values": [(d(2025, 7, 31), 8.2)], "later": [(d(2026, 7, 31), 7.4)]}], "children": [
             {"kind": "massnahme", "title": "Deutschförderung und Hausaufgabenhilfe an Grundschulen",
              "responsible": ["Schulamt", "Offener Ganztag"], "status": "in_progress",
              "starts_on": d(2024, 8, 1), "ends_on": d(2030, 7, 31),
              "ideas": ["Hausaufgabenhilfe", "Deutschunterricht", "Lesepaten"]},
             {"kind": "massnahme", "title": "Deutschkurse mit Kinderbetreuung",
              "responsible": ["Volkshochschule", "Familienzentren"], "status": "done",
              "starts_on": d(2025, 2, 1), "ends_on": d(2025, 12, 31),
              "ideas": ["Kinderbetreuung", "Sprachkurse am Abend"]},
         ]},
    ],
    "Wohnen und Quartier": [
        {"title": "Gute Nachbarschaft in allen Quartieren",
         "responsible": ["Quartiersmanagement"], "status": "in_progress",
         "starts_on": d(2025, 4, 1), "ends_on": d(2030, 12, 31), "ideas": ["Nachbarn"], "children": [
             {"kind": "massnahme", "title": "Quartierstreffs ohne Konsumzwang",
              "responsible": ["Quartiersmanagement", "Wohnungsbaugesellschaft"], "status": "in_progress",
              "starts_on": d(2025, 4, 1), "ends_on": d(2028, 12, 31), "ideas": ["Treffpunkte", "Stadtteilfest"],
              "indicators": [{
                  "name": "Besuche in den Quartierstreffs je Monat", "unit": "Besuche",
                  "baseline": (120, d(2025, 4, 1)), "target": (400, d(2028, 12, 31)), "source": "Zählung der Treffs",
                  "values": [(d(2025, 10, 31), 190), (d(2026, 4, 30), 240)], "later": [(d(2026, 10, 31), 310)]}]},
         ]},
        {"title": "Bezahlbarer Wohnraum statt Gemeinschaftsunterkunft",
         "responsible": ["Stadtplanung", "Wohnungsbaugesellschaft"], "status": "planned",
         "starts_on": d(2026, 1, 1), "ends_on": d(2030, 12, 31), "children": [
             {"kind": "teilziel", "title": "Wohnraumvermittlung mit Ansprechpartner für Vermieter",
              "responsible": ["Sozialamt"], "status": "planned",
              "starts_on": d(2026, 1, 1), "ends_on": d(2028, 12, 31), "ideas": ["Vermieter", "Wohnung"],
              "indicators": [{
                  "name": "Haushalte in Gemeinschaftsunterkünften", "unit": "Haushalte",
                  "baseline": (85, d(2025, 12, 31)), "target": (20, d(2028, 12, 31)), "source": "Sozialamt",
                  "values": [(d(2026, 3, 31), 78)], "later": []}]},
         ]},
    ],
    "Teilhabe und Engagement": [
        {"title": "Ehrenamt stärken und für Neue öffnen",
         "responsible": ["Freiwilligenzentrale", "Integrationsbeauftragte"], "status": "in_progress",
         "starts_on": d(2025, 1, 1), "ends_on": d(2030, 12, 31), "children": [
             {"kind": "massnahme", "title": "Patenschaften für neu zugezogene Familien",
              "responsible": ["Freiwilligenzentrale", "Kirchengemeinden"], "status": "in_progress", "weight": 2,
              "starts_on": d(2025, 1, 1), "ends_on": d(2030, 12, 31), "ideas": ["Patenschaft", "Mentor", "begleitet"],
              "indicators": [{
                  "name": "Aktive Patenschaften", "unit": "Anzahl",
                  "baseline": (12, d(2024, 12, 31)), "target": (60, d(2030, 12, 31)), "source": "Freiwilligenzentrale",
                  "values": [(d(2025, 12, 31), 21)], "later": [(d(2026, 9, 30), 29)]}]},
             {"kind": "massnahme", "title": "Fortbildung und Dankeschön-Abend für Ehrenamtliche",
              "responsible": ["Freiwilligenzentrale"], "status": "planned",
              "starts_on": d(2026, 1, 1), "ends_on": d(2026, 12, 31),
              "ideas": ["Fortbildungen", "ehrenamtlich engagieren"]},
         ]},
        {"title": "Mehrsprachige Information für alle",
         "responsible": ["Integrationsbeauftragte", "Bürgerbüro"], "status": "in_progress",
         "starts_on": d(2025, 1, 1), "ends_on": d(2027, 12, 31), "children": [
             {"kind": "massnahme", "title": "Mehrsprachige Bürgerinfo und Willkommensmappe",
              "responsible": ["Bürgerbüro", "Integrationsbeauftragte"], "status": "in_progress",
              "starts_on": d(2025, 1, 1), "ends_on": d(2026, 12, 31),
              "ideas": ["Willkommensmappe", "Willkommensleitfaden", "einfacher Sprache"],
              "indicators": [{
                  "name": "Sprachen der Bürgerinfo", "unit": "Sprachen",
                  "baseline": (1, d(2025, 1, 1)), "target": (8, d(2026, 12, 31)), "source": "Bürgerbüro",
                  "values": [(d(2025, 6, 30), 3), (d(2026, 2, 28), 5)], "later": [(d(2026, 9, 1), 7)]}]},
             {"kind": "massnahme", "title": "Eigene Willkommens-App",
              "responsible": ["Pressestelle"], "status": "dropped",
              "starts_on": d(2025, 1, 1), "ends_on": d(2025, 12, 31),
              "description": "Verworfen zugunsten der Bürgerinfo im Netz und auf Papier."},
         ]},
    ],
}
NODE_FIELDS = ("description", "responsible", "starts_on", "ends_on", "status", "weight")


def seed_goal_tree(process: Process) -> None:
    """Build the demo's goal tree and its snapshot "Evaluation 2026", unless built before.

    Any goal below the Handlungsfeld nodes, or the snapshot, counts as built: a second run (or an
    organiser's own edits since) is left alone.
    """
    built = db.session.scalar(db.select(GoalNode.id).filter_by(process_id=process.id).where(
        GoalNode.kind.not_in(("leitziel", "handlungsfeld"))).limit(1))
    if built or db.session.scalar(db.select(Snapshot.id).filter_by(process_id=process.id, name=SNAPSHOT_NAME)):
        return
    root = goaltree.ensure_tree(process)
    goaltree.update_node(root, title=LEITZIEL)
    ideas = list(db.session.scalars(
        db.select(Contribution).join(Event).where(Event.process_id == process.id, Contribution.hidden_at.is_(None),
                                                  Contribution.merged_into_id.is_(None)).order_by(Contribution.id)))
    used: set[int] = set()

    def matching(keywords) -> list[Contribution]:
        # In the German text (the original or its translation), each idea for one node only.
        found = [idea for idea in ideas if idea.id not in used and any(
            word.casefold() in (idea.translation("de") or idea.text).casefold() for word in keywords)]
        used.update(idea.id for idea in found[:IDEAS_PER_NODE])
        return found[:IDEAS_PER_NODE]

    later = []

    def build(parent: GoalNode, spec: dict, field: ActionField) -> None:
        fields = {name: spec[name] for name in NODE_FIELDS if name in spec}
        kind, linked = spec.get("kind", "ziel"), matching(spec.get("ideas", ()))
        if linked:  # an idea a goal came from was sorted into the goal's field first
            sorting.move(linked, field, None)
        if "cluster" in spec:  # sorted on the board first, as an organiser would
            cluster = sorting.create_cluster(field, spec["title"])
            sorting.move(matching(spec["cluster"]), field, cluster)
            node = goaltree.node_from_cluster(parent, cluster, **fields)
        elif kind == "ziel" and linked:
            node = goaltree.node_from_ideas(parent, linked, spec["title"], **fields)
        else:
            node = goaltree.add_node(parent, kind, spec["title"], **fields)
            goaltree.link_ideas(node, linked)
        for item in spec.get("indicators", ()):
            indicator = indicators.add_indicator(
                node, item["name"], unit=item["unit"], baseline_value=item["baseline"][0],
                baseline_on=item["baseline"][1], target_value=item["target"][0], target_on=item["target"][1],
                data_source=item["source"])
            for measured_on, value in item["values"]:
                indicators.record_value(indicator, measured_on, value)
            later.extend((indicator, measured_on, value) for measured_on, value in item["later"])
        for child in spec.get("children", ()):
            build(node, child, field)

    for field_node in root.children:
        field = field_node.action_field
        for spec in TREE.get(field.name.get("de"), []) if field is not None else []:
            build(field_node, spec, field)
    snapshots.freeze(process, SNAPSHOT_NAME)
    for indicator, measured_on, value in later:  # measured since, so today differs from the snapshot
        indicators.record_value(indicator, measured_on, value)
    suggestions.recompute(process)  # the cluster sorted some ideas: the board opens current
