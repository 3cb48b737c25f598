"""The steering group's decision log: the list of a process's decisions, newest first, and a form
for a new one (steering members record decisions too; that changes no node). Organisers delete an
entry made by mistake."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.access import staff_required
from app.extensions import db
from app.goaltree import views
from app.goaltree.blueprint import bp
from app.goaltree.steering_forms import DecisionForm
from app.http import form_status, refused
from app.models.base import localized
from app.services.administration import audit
from app.services.errors import DomainError
from app.services.goals import decisions
from app.services.reports import progress


def node_choices(process) -> list[tuple[str, tuple[str, str, str]]]:
    """(UUID, (number, title, its language)) of every node of the process, in the tree's order."""
    tree = progress.load_tree(process)
    numbers, choices = views.numbering(tree), []
    todo = list(reversed(tree.children.get(None, [])))
    while todo:
        node = todo.pop()
        choices.append((str(node.uuid), (numbers[node.id], *localized(node.display_title, views.locale()))))
        todo.extend(reversed(tree.children.get(node.id, [])))
    return choices


@bp.route("/processes/<int:process_id>/decisions", methods=["GET", "POST"])
@staff_required("steering")
def list_decisions(process):
    form = DecisionForm()
    form.nodes.choices = node_choices(process)
    status = None
    if request.method == "POST" and form.validate():
        try:
            nodes = decisions.nodes_of_process(process, form.nodes.data)
            decision = decisions.add_decision(process, form.decided_on.data, form.meeting.data, form.text.data, nodes)
            audit.record("decision.add", decision.text, process_id=process.id,
                         detail={"date": decision.decided_on.isoformat()})
        except DomainError as error:
            status = refused(error)
        else:
            db.session.commit()
            views.say(_("Der Beschluss ist eingetragen."))
            return redirect(url_for("goaltree.list_decisions", process_id=process.id,
                                    _anchor=f"decision-{decision.uuid}"), 303)
    return render_template("goaltree/decisions.html", process=process, form=form,
                           decisions=decisions.decisions_of(process)), status or form_status(form)


@bp.post("/processes/<int:process_id>/decisions/<uuid:decision_uuid>/delete")
@staff_required("organiser")
def delete_decision(process, decision_uuid):
    decision = decisions.decision_of_process(process, decision_uuid)
    audit.record("decision.delete", decision.text, process_id=process.id,
                 detail={"date": decision.decided_on.isoformat()})
    decisions.delete_decision(decision)
    db.session.commit()
    views.say(_("Der Beschluss ist gelöscht."))
    return redirect(url_for("goaltree.list_decisions", process_id=process.id), 303)
