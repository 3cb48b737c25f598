"""The board's typed forms: a cluster's name. Moves and merges are plain choices the services check."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.services.sorting.sorting import MAX_CLUSTER_NAME_LENGTH


class ClusterForm(FlaskForm):
    name = StringField(_l("Name des Clusters"), validators=[
        DataRequired(_l("Bitte geben Sie einen Namen ein.")),
        Length(max=MAX_CLUSTER_NAME_LENGTH, message=_l("Höchstens %(max)d Zeichen.")),
    ])


def new_cluster_form(field_id: int, **kwargs) -> ClusterForm:
    # One form per column and per cluster on the page: the prefix keeps their field ids apart.
    return ClusterForm(prefix=f"new-cluster-{field_id}", **kwargs)


def rename_cluster_form(cluster, **kwargs) -> ClusterForm:
    kwargs.setdefault("name", cluster.name)  # a sent form overrides it
    return ClusterForm(prefix=f"cluster-{cluster.id}", **kwargs)
