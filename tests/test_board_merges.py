"""Merging duplicates and naming clusters on the board."""
from types import SimpleNamespace

from app.extensions import db
from app.models import ActionField, Cluster, Merge
from tests.test_board import board, column, dots_on, give_dots, load, move  # noqa: F401 (board is a fixture)


def test_merge_from_the_board_and_undo_restores_the_dots(client, app, board):
    give_dots(app, board.forum, board.ideas.cafe, 2)
    give_dots(app, board.forum, board.ideas.arabic, 1)
    response = client.post(f"{board.url}/merge", data={
        "selected": [board.ideas.cafe.uuid, board.ideas.arabic.uuid], "target": board.ideas.arabic.uuid})
    assert response.status_code == 303 and response.location.endswith(f"#idea-{board.ideas.arabic.uuid}")
    assert load(app, board.ideas.cafe).merged_into == board.ideas.arabic.id
    assert (dots_on(app, board.ideas.cafe), dots_on(app, board.ideas.arabic)) == (0, 3)
    page = client.get(board.url).get_data(as_text=True)
    assert "Die Ideen sind zusammengeführt." in page and "3 Punkte" in page
    assert f'id="idea-{board.ideas.cafe.uuid}"' not in page  # the merged duplicate leaves the board
    with app.app_context():
        record = db.session.scalar(db.select(Merge))
        assert record.user_id is not None
        merge_uuid = str(record.uuid)
    assert f"/board/merges/{merge_uuid}/undo" in page

    undone = client.post(f"{board.url}/merges/{merge_uuid}/undo")
    assert undone.status_code == 303
    assert load(app, board.ideas.cafe).merged_into is None and load(app, board.ideas.cafe).status == "new"
    assert (dots_on(app, board.ideas.cafe), dots_on(app, board.ideas.arabic)) == (2, 1)
    page = client.get(board.url).get_data(as_text=True)
    assert "Die Zusammenführung ist rückgängig gemacht." in page and f'id="idea-{board.ideas.cafe.uuid}"' in page
    again = client.post(f"{board.url}/merges/{merge_uuid}/undo")
    assert again.status_code == 409 and "schon rückgängig" in again.get_data(as_text=True)


def test_duplicates_merge_across_events_of_the_process_but_need_a_choice(client, app, board):
    across = client.post(f"{board.url}/merge", data={
        "selected": [board.ideas.cafe.uuid, board.ideas.jobs.uuid], "target": board.ideas.jobs.uuid})
    assert across.status_code == 303
    assert load(app, board.ideas.cafe).merged_into == board.ideas.jobs.id
    with app.app_context():
        record = db.session.scalar(db.select(Merge))
    client.post(f"{board.url}/merges/{record.uuid}/undo")
    assert load(app, board.ideas.cafe).merged_into is None
    no_target = client.post(f"{board.url}/merge", data={"selected": [board.ideas.cafe.uuid, board.ideas.bench.uuid]})
    assert no_target.status_code == 400
    alone = client.post(f"{board.url}/merge", data={"selected": [board.ideas.cafe.uuid],
                                                    "target": board.ideas.cafe.uuid})
    assert alone.status_code == 400
    foreign = client.post(f"{board.url}/merge", data={
        "selected": [board.ideas.foreign.uuid], "target": board.ideas.cafe.uuid})
    assert foreign.status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Merge.id))) == 1  # only the undone one


# Clusters

def test_clusters_inside_a_field(client, app, board):
    field_id = board.fields[1]
    prefix = f"new-cluster-{field_id}"
    created = client.post(f"{board.url}/fields/{field_id}/clusters", data={f"{prefix}-name": " Sprachcafés "})
    assert created.status_code == 303
    with app.app_context():
        cluster = db.session.scalar(db.select(Cluster))
        assert (cluster.name, cluster.action_field_id) == ("Sprachcafés", field_id)
        assert cluster.process_id == board.process.id
        cluster_id = cluster.id
    assert created.location.endswith(f"#cluster-{cluster_id}")
    twice = client.post(f"{board.url}/fields/{field_id}/clusters", data={f"{prefix}-name": "sprachcafés"})
    assert twice.status_code == 400 and "schon einen Cluster mit diesem Namen" in twice.get_data(as_text=True)
    empty = client.post(f"{board.url}/fields/{field_id}/clusters", data={f"{prefix}-name": " "})
    assert empty.status_code == 400 and "Bitte geben Sie einen Namen ein." in empty.get_data(as_text=True)

    # Into the cluster: by its card form, and the field comes with it.
    move(client, board, board.ideas.cafe, f"cluster-{cluster_id}")
    move(client, board, board.ideas.arabic, f"field-{field_id}")
    assert load(app, board.ideas.cafe) == SimpleNamespace(field=field_id, cluster=cluster_id, status="clustered",
                                                          merged_into=None)
    page = client.get(board.url).get_data(as_text=True)
    field_column = column(page, f"field-{field_id}")
    assert field_column.index("Sprachcafés") < field_column.index(board.ideas.cafe.text) \
        < field_column.index(">ohne Cluster</h3>") < field_column.index(board.ideas.arabic.text)
    assert f'<option value="cluster-{cluster_id}" lang="de" dir="ltr">Sprache und Bildung › Sprachcafés</option>' in page

    renamed = client.post(f"{board.url}/clusters/{cluster_id}/rename", data={f"cluster-{cluster_id}-name": "Begegnung"})
    assert renamed.status_code == 303
    with app.app_context():
        assert db.session.get(Cluster, cluster_id).name == "Begegnung"
    deleted = client.post(f"{board.url}/clusters/{cluster_id}/delete")
    assert deleted.status_code == 303
    with app.app_context():
        assert db.session.get(Cluster, cluster_id) is None
    assert load(app, board.ideas.cafe) == SimpleNamespace(field=field_id, cluster=None, status="clustered",
                                                          merged_into=None)


def test_clusters_of_another_process_are_out_of_reach(client, app, board, make):
    with app.app_context():
        other_field = db.session.scalar(db.select(ActionField).filter_by(process_id=board.other.process_id))
        cluster = Cluster(process_id=board.other.process_id, action_field_id=other_field.id, name="Fremd")
        db.session.add(cluster)
        db.session.commit()
        cluster_id, other_field_id = cluster.id, other_field.id
    assert move(client, board, board.ideas.cafe, f"cluster-{cluster_id}").status_code == 404
    assert client.post(f"{board.url}/clusters/{cluster_id}/rename",
                       data={f"cluster-{cluster_id}-name": "Meins"}).status_code == 404
    assert client.post(f"{board.url}/clusters/{cluster_id}/delete").status_code == 404
    assert client.post(f"{board.url}/fields/{other_field_id}/clusters",
                       data={f"new-cluster-{other_field_id}-name": "X"}).status_code == 404
    with app.app_context():
        assert db.session.get(Cluster, cluster_id).name == "Fremd"


# Filters and search
