"""The audit log of staff actions: written with each action, read and filtered by organisers, pruned."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AuditEntry, Contribution, GoalNode, IndicatorValue, Membership, Process
from app.models.base import utcnow
from app.services.administration import audit
from app.services.goals import goaltree
from tests.test_participate import count, join, post_idea


@pytest.fixture
def event(make):
    return make.event(tables=3, rounds=3)


@pytest.fixture
def admin(make, login):
    user = make.user("admin@example.org", admin=True)
    login(user)
    return user


def log_url(process_id, **query):
    return f"/organise/processes/{process_id}/audit", query


def read_log(client, process_id, **query):
    url, params = log_url(process_id, **query)
    return client.get(url, query_string=params)


def actions(app):
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEntry.action).order_by(AuditEntry.id)))


def two_ideas(app, client, event):
    """Two ideas at table 1 from two phones, in the running first round; their UUIDs."""
    for key, text in (("a", "Mehr Bänke"), ("b", "Mehr Bänke im Park")):
        phone = app.test_client()
        join(phone, event.code, table=1)
        assert post_idea(phone, event.code, text, key=key).status_code == 201
    with app.app_context():
        return [str(u) for u in db.session.scalars(db.select(Contribution.uuid).order_by(Contribution.id))]


def test_each_staff_action_is_in_the_log(app, client, make, admin, event):
    moderate = f"/moderate/events/{event.id}"
    rounds = event.round_ids
    for action in ("start", "pause", "resume"):
        assert client.post(f"{moderate}/rounds/{rounds[0]}/{action}").status_code == 303
    assert client.post(f"{moderate}/rounds/{rounds[0]}/extend", data={"minutes": 5}).status_code == 303
    first, second = two_ideas(app, client, event)
    assert client.post(f"{moderate}/ideas/{first}/hide", data={"reason": "doppelt"}).status_code == 303
    assert client.post(f"{moderate}/ideas/{first}/unhide").status_code == 303
    assert client.post(f"{moderate}/ideas/merge", data={"target": first, "selected": [first, second]}).status_code == 303
    assert client.post(f"{moderate}/rounds/{rounds[0]}/close", data={"confirmed": "1"}).status_code == 303
    assert client.post(f"{moderate}/next", data={"confirmed": "1"}).status_code == 303
    assert client.post(f"{moderate}/vote/open", data={"dots": 3, "max_per_idea": 2}).status_code == 303
    assert client.post(f"{moderate}/vote/close").status_code == 303

    tree = f"/organise/processes/{event.process_id}/goal-tree"
    assert client.post(f"{tree}/start").status_code == 303
    with app.app_context():
        field = goaltree.root_of(db.session.get(Process, event.process_id)).children[0]
        field_uuid = str(field.uuid)
    client.post(f"{tree}/nodes/{field_uuid}/children",
                data={f"add-{field_uuid}-kind": "ziel", f"add-{field_uuid}-title": "Ziel A"})
    with app.app_context():
        goal = str(db.session.scalar(db.select(GoalNode.uuid).where(GoalNode.kind == "ziel")))
    assert client.post(f"{tree}/nodes/{goal}", data={"title_de": "Ziel B", "kind": "ziel",
                                                     "status": "in_progress", "weight": "1"}).status_code == 303
    assert client.post(f"{tree}/nodes/{goal}/move", data={"parent": field_uuid}).status_code == 303
    assert client.post(f"{tree}/snapshots", data={"name": "Stand 1"}).status_code == 303
    response = client.post(f"{tree}/nodes/{goal}/indicators", data={
        "name_de": "Bänke", "unit": "Stück", "baseline_value": "0", "baseline_on": "2026-01-01",
        "target_value": "40", "target_on": "2028-12-31", "data_source": "Bauhof"})
    indicator_url = response.headers["Location"]
    assert client.post(indicator_url + "/values", data={"measured_on": "2027-06-30", "value": "10"}).status_code == 303
    with app.app_context():
        value = db.session.scalar(db.select(IndicatorValue.uuid))
    assert client.post(f"{indicator_url}/values/{value}/delete").status_code == 303
    assert client.post(f"{indicator_url}/delete", data={"confirm": "yes"}).status_code == 303
    assert client.post(f"{tree}/nodes/{goal}/delete").status_code == 303
    assert client.get(f"/organise/processes/{event.process_id}/goal-tree/export",
                      query_string={"format": "json"}).status_code == 200
    assert client.get(f"/organise/events/{event.id}/results", query_string={"format": "csv"}).status_code == 200

    other = make.user("team@example.org")
    assert client.post(f"/organise/processes/{event.process_id}/roles",
                       data={"email": other.email, "role": "moderator"}).status_code == 302
    with app.app_context():
        membership_id = db.session.scalar(db.select(Membership.id).filter_by(role="moderator"))
    assert client.post(f"/organise/processes/{event.process_id}/memberships/{membership_id}/revoke").status_code == 303
    assert client.post(f"/organise/events/{event.id}/rounds/{rounds[2]}/remove").status_code == 303
    assert client.post(f"/organise/events/{event.id}/tables/{event.table_ids[0]}/host-link").status_code == 303
    assert client.post(f"/organise/events/{event.id}/close", data={"confirm": "yes"}).status_code == 303

    done = actions(app)
    for expected in ("round.start", "round.pause", "round.resume", "round.extend", "idea.hide", "idea.unhide",
                     "idea.merge", "round.close", "vote.open", "vote.close", "goaltree.start", "goaltree.add",
                     "goaltree.edit", "goaltree.move", "goaltree.snapshot", "goaltree.delete", "export.download",
                     "indicator.value_delete", "indicator.delete",
                     "role.grant", "role.revoke", "round.delete", "link.host_replaced", "event.close"):
        assert expected in done, expected
    assert done.count("export.download") == 2
    with app.app_context():
        entries = list(db.session.scalars(db.select(AuditEntry)))
        assert {e.actor for e in entries} == {admin.email}
        assert {e.process_id for e in entries} == {event.process_id}
        grant = next(e for e in entries if e.action == "role.grant")
        assert (grant.subject, grant.detail) == (other.email, {"role": "moderator"})

    page = read_log(client, event.process_id).get_data(as_text=True)
    for label in ("Runde gestartet", "Idee ausgeblendet", "Ideen zusammengeführt", "Zielbaum: Knoten verschoben",
                  "Export heruntergeladen", "Rolle entzogen", "Gastgeber-Link ersetzt", "Veranstaltung abgeschlossen"):
        assert label in page, label
    # Newest first.
    assert page.index("Veranstaltung abgeschlossen") < page.index("Runde gestartet")



def test_adding_and_changing_an_indicator_is_in_the_log(app, client, admin, event):
    tree = f"/organise/processes/{event.process_id}/goal-tree"
    assert client.post(f"{tree}/start").status_code == 303
    with app.app_context():
        field = goaltree.root_of(db.session.get(Process, event.process_id)).children[0]
        field_uuid, title = str(field.uuid), audit.text_of(field.display_title)
    data = {"name_de": "Bänke", "unit": "Stück", "baseline_value": "0", "baseline_on": "2026-01-01",
            "target_value": "40", "target_on": "2028-12-31", "data_source": "Bauhof"}
    response = client.post(f"{tree}/nodes/{field_uuid}/indicators", data=data)
    assert response.status_code == 303
    assert client.post(response.headers["Location"], data={**data, "target_value": "50"}).status_code == 303
    with app.app_context():
        entries = list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.action, e.subject, e.actor) for e in entries[1:]] == [("goaltree.edit", title, admin.email)] * 2


def test_a_role_granted_on_the_command_line_is_in_the_log(app, runner, make, event):
    user = make.user("team@example.org")
    result = runner.invoke(args=["users", "grant", user.email, str(event.process_id), "moderator"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry))
        assert (entry.action, entry.subject, entry.actor, entry.user_id, entry.detail, entry.process_id) == (
            "role.grant", user.email, "cli", None, {"role": "moderator"}, event.process_id)


def test_the_log_names_a_role_in_words_and_keeps_other_details(app, client, make, admin, event):
    other = make.user("team@example.org")
    assert client.post(f"/organise/processes/{event.process_id}/roles",
                       data={"email": other.email, "role": "moderator"}).status_code == 302
    make_entries(app, event.process_id, action="export.download")
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="export.download"))
        entry.detail = {"format": "csv"}
        db.session.commit()
    page = read_log(client, event.process_id).get_data(as_text=True)
    assert "Rolle: Moderation" in page and "Rolle: moderator" not in page
    assert "Format: csv" in page

def test_a_refused_action_leaves_no_entry(app, client, admin, event):
    # A closed round cannot start again: refused, and nothing is logged.
    client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/start")
    client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/close", data={"confirmed": "1"})
    response = client.post(f"/moderate/events/{event.id}/rounds/{event.round_ids[0]}/start",
                           headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert actions(app) == ["round.start", "round.close"]


def make_entries(app, process_id, event_id=None, n=1, action="round.start", actor="a@example.org", age_days=0):
    with app.app_context():
        when = utcnow() - timedelta(days=age_days)
        for index in range(n):
            db.session.add(AuditEntry(process_id=process_id, event_id=event_id, action=action, actor=actor,
                                      subject=f"Eintrag {index}", created_at=when))
        db.session.commit()


def test_filters_and_pages(app, client, make, admin, event):
    other_event = make.event(event.process_id, tables=1, rounds=1)
    make_entries(app, event.process_id, event.id, n=55)
    make_entries(app, event.process_id, other_event.id, action="vote.open", actor="b@example.org")
    make_entries(app, event.process_id, action="export.download", actor="c@example.org", age_days=40)

    page = read_log(client, event.process_id).get_data(as_text=True)
    assert page.count('id="entry-') == 50 and "Ältere Einträge" in page and "Neuere Einträge" not in page
    page = read_log(client, event.process_id, page=2).get_data(as_text=True)
    assert page.count('id="entry-') == 7 and "Neuere Einträge" in page and "Ältere Einträge" not in page

    def shown(**query):
        response = read_log(client, event.process_id, **query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data(as_text=True).count('id="entry-')

    assert shown(action="vote") == 1
    assert shown(action="vote.open") == 1
    assert shown(action="round", page=2) == 5
    assert shown(event=other_event.id) == 1
    assert shown(actor="c@example.org") == 1
    old = (utcnow() - timedelta(days=40)).date()
    assert shown(since=old.isoformat(), until=old.isoformat()) == 1
    assert shown(since=(old + timedelta(days=1)).isoformat(), page=2) == 6
    # Bad input: a message and the unfiltered list, never a 500.
    response = read_log(client, event.process_id, since="31.12.2030", action="nonsense", event="99999999999999",
                        page="99999999999999999999", actor="a\x00b")
    assert response.status_code == 400
    assert "Bitte geben Sie ein Datum wie 2030-05-31 an." in response.get_data(as_text=True)



@pytest.mark.parametrize("query", [{"event": "²"}, {"page": "²"}, {"page": "9" * 5000}, {"event": "9" * 5000}])
def test_odd_numbers_in_the_log_filters_are_ignored(client, admin, event, query):
    make_entries(client.application, event.process_id, event.id)
    response = read_log(client, event.process_id, **query)
    assert response.status_code == 200 and response.get_data(as_text=True).count('id="entry-') == 1


def test_the_last_day_of_the_calendar_is_refused_as_a_date(client, admin, event):
    for query in ({"until": "9999-12-31"}, {"since": "9999-12-31"}):
        response = read_log(client, event.process_id, **query)
        assert response.status_code == 400
        assert "Bitte geben Sie ein Datum wie 2030-05-31 an." in response.get_data(as_text=True)
    assert read_log(client, event.process_id, until="9999-12-30").status_code == 200

def test_only_the_process_organisers_and_admins_read_its_log(app, client, make, login, event):
    make_entries(app, event.process_id, event.id, n=1)
    elsewhere = make.process("Anderer Prozess")
    make_entries(app, elsewhere.id, n=1, actor="fremd@example.org")

    login(make.user("mod@example.org", roles=[(event.process_id, "moderator")]))
    assert read_log(client, event.process_id).status_code == 403
    client.post("/auth/logout")
    login(make.user("other@example.org", roles=[(elsewhere.id, "organiser")]))
    assert read_log(client, event.process_id).status_code == 403
    page = read_log(client, elsewhere.id).get_data(as_text=True)
    assert "fremd@example.org" in page and "a@example.org" not in page
    client.post("/auth/logout")
    login(make.user("orga@example.org", roles=[(event.process_id, "organiser")]))
    page = read_log(client, event.process_id).get_data(as_text=True)
    assert "a@example.org" in page and "fremd@example.org" not in page
    process_page = client.get(f"/organise/processes/{event.process_id}").get_data(as_text=True)
    assert f"/organise/processes/{event.process_id}/audit" in process_page


def test_prune_deletes_entries_past_the_retention(app, runner, make, event):
    make_entries(app, event.process_id, n=3, age_days=400)
    make_entries(app, event.process_id, n=2, age_days=10)
    result = runner.invoke(args=["audit", "prune"])
    assert result.exit_code == 0, result.output
    assert "3 audit entries older than 365 days deleted." in result.output
    assert count(app, AuditEntry) == 2
    app.config["AUDIT_RETENTION_DAYS"] = 5
    assert "2 audit entries" in runner.invoke(args=["audit", "prune"]).output
    assert count(app, AuditEntry) == 0


def test_record_outside_a_request_names_the_command_line(app, event):
    with app.app_context():
        audit.record("privacy.purge", "Bürgerforum", process_id=event.process_id, event_id=event.id,
                     detail={"count": 3})
        db.session.commit()
        entry = db.session.scalar(db.select(AuditEntry))
        assert (entry.actor, entry.user_id, entry.detail) == ("cli", None, {"count": 3})


def test_prune_blanks_who_changed_an_idea_in_old_revisions_and_keeps_the_texts(app, runner, make, event):
    from app.models import IdeaRevision
    from tests.test_participate import start_round
    start_round(app, event.round_ids[0])
    phone = app.test_client()
    join(phone, event.code, table=1)
    post_idea(phone, event.code, "Mehr Bänke", key="k1")
    editor = make.user("redaktion@example.org", admin=True)
    with app.app_context():
        idea = db.session.scalar(db.select(Contribution))
        db.session.add_all([IdeaRevision(contribution=idea, text_before="Alt", actor=editor.email, user_id=editor.id,
                                         changed_at=utcnow() - timedelta(days=400)),
                            IdeaRevision(contribution=idea, text_before="Neuer", actor=editor.email,
                                         changed_at=utcnow() - timedelta(days=10))])
        db.session.commit()
    result = runner.invoke(args=["audit", "prune"])
    assert "1 idea revisions older than 365 days no longer name who made them." in result.output, result.output
    with app.app_context():
        rows = db.session.execute(db.select(IdeaRevision.text_before, IdeaRevision.actor, IdeaRevision.user_id)
                                  .order_by(IdeaRevision.changed_at)).all()
        assert [tuple(row) for row in rows] == [("Alt", "", editor.id), ("Neuer", editor.email, None)]
