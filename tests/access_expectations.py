"""Who may use each endpoint: the declarations tests/test_access_matrix.py checks every route against.

A new route fails the matrix until it is declared here, with who may use it:

    PUBLIC       anyone, no account and no link needed (join pages, start page, health check)
    LOGIN        any staff account, whatever its roles (the staff home pages list only what it may see)
    ADMIN        site admins only
    staff(role)  a staff account holding `role` (or one implying it, app/models/user.py IMPLIED_ROLES)
                 in the process the URL names (through `process_id` or `event_id`), or an admin;
                 staff(role, other, …): holding any one of them
    PARTICIPANT  the phone that joined the event the URL's code names (its signed session cookie)
    RETURN_LINK  whoever holds the participant's personal return link /r/<token>
    HOST         whoever holds the host link of the table /h/<token>
    PROJECTOR    whoever holds the event's projector link /p/<token>
    ACTOR_LINK   whoever holds the personal link /a/<token> of an actor of the process's register

URL values come from the matrix's world (process A's objects, tests/access_world.py `side_of`);
`URL_VALUES` overrides one where an endpoint needs a particular one. `FORMS` holds a form that would
change something if it were accepted, so a refused POST is seen to change nothing; `FORM_OBJECTS`
names the objects such a form points at, which the matrix also puts in another process's scope.
"""
PUBLIC = "public"
LOGIN = "login"
ADMIN = "admin"
PARTICIPANT = "participant"
RETURN_LINK = "return link"
HOST = "host"
PROJECTOR = "projector"
ACTOR_LINK = "actor link"


def staff(role: str, *other_roles: str) -> str:
    return "staff:" + "|".join((role, *other_roles))


ORGANISER, MODERATOR, INTERPRETER, STEERING = (staff(r) for r in ("organiser", "moderator", "interpreter",
                                                                    "steering"))

# An endpoint's expectation, or one per method where they differ.
EXPECTATIONS = {
    # Public pages and the staff login.
    "main.index": PUBLIC,
    "main.healthz": PUBLIC,
    "main.join_by_code": PUBLIC,
    "main.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": LOGIN,
    # Phones: joining is open to anyone with the code; the rest needs the phone's participant cookie.
    "participate.join": PUBLIC,
    "participate.join_table": PUBLIC,
    "participate.event_qr": PUBLIC,
    "participate.table_qr": PUBLIC,
    "participate.fresh_csrf": PUBLIC,
    "participate.shared_fragment": PUBLIC,  # what every phone at the table sees; the URL is signed
    "participate.show_table": PARTICIPANT,
    "participate.table_fragment": PARTICIPANT,
    "participate.return_link_qr": PARTICIPANT,
    "participate.live_state": PARTICIPANT,
    "participate.choose_table": PARTICIPANT,
    "participate.submit_idea": PARTICIPANT,
    "participate.delete_idea": PARTICIPANT,
    "participate.my_ideas": RETURN_LINK,
    "participate.leave": RETURN_LINK,
    "participate.take_return_link": RETURN_LINK,
    "participate.export_my_data": RETURN_LINK,
    "privacy.notice": PUBLIC,
    "privacy.accessibility": PUBLIC,
    "registration.register": PUBLIC,
    "registration.about_me_later": PUBLIC,  # only a cookie of the phone itself
    "registration.edit": RETURN_LINK,
    "registration.cancel": RETURN_LINK,
    "registration.about_me": RETURN_LINK,
    "registration.withdraw_about_me": RETURN_LINK,
    "registration.staff_list": ORGANISER,
    "registration.staff_register": ORGANISER,
    "registration.staff_check_in": ORGANISER,
    "registration.staff_cancel": ORGANISER,
    "registration.staff_venue_list": ORGANISER,
    "online.show": PARTICIPANT,
    "online.submit": PARTICIPANT,
    "public.publish": ORGANISER,
    "public.results": PUBLIC,
    "public.idea": PUBLIC,
    "public.download": PUBLIC,
    "voting.show_vote": PARTICIPANT,
    "voting.give_dot": PARTICIPANT,
    "voting.take_back_dot": PARTICIPANT,
    # Table hosts and the projector: the secret link is the key.
    "host.show_table": HOST,
    "host.capture_ideas": HOST,
    "host.edit_idea": HOST,
    "host.translate_idea": HOST,
    "host.upload_photo": HOST,
    "host.save_summary": HOST,
    "host.show_photo": HOST,
    "host.merge_ideas": HOST,
    "host.undo_merge": HOST,
    "projector.show": PROJECTOR,
    "projector.fragment": PROJECTOR,
    "projector.live": PROJECTOR,
    # Staff home pages: each lists only the processes the account has a role in.
    "organise.index": LOGIN,
    "interpret.index": LOGIN,
    # Organising.
    "organise.create_process": ADMIN,
    "organise.grant_role": ADMIN,
    "organise.show_process": STEERING,
    "organise.edit_process": ORGANISER,
    "organise.create_action_field": ORGANISER,
    "organise.edit_action_field": ORGANISER,
    "organise.move_action_field": ORGANISER,
    "organise.delete_action_field": ORGANISER,
    "organise.create_event": ORGANISER,
    "organise.show_event": MODERATOR,
    "organise.edit_event": ORGANISER,
    "organise.copy_event": ORGANISER,
    "organise.add_table": ORGANISER,
    "organise.rename_table": ORGANISER,
    "organise.remove_table": ORGANISER,
    "organise.add_round": ORGANISER,
    "organise.edit_round": ORGANISER,
    "organise.remove_round": ORGANISER,
    "organise.print_posters": ORGANISER,
    # Seating by language: a table's host and languages; interpreters at tables per round (issue 20).
    "organise.edit_table": ORGANISER,
    "organise.table_interpreters": {"GET": MODERATOR, "POST": ORGANISER},  # moderators read it
    # Closing an event, replacing secret links, what changed (issue 16).
    "organise.close_event": ORGANISER,
    "organise.reopen_event": ORGANISER,
    "organise.replace_host_link": ORGANISER,
    "organise.replace_projector_link": ORGANISER,
    "organise.idea_history": ORGANISER,
    "organise.audit_log": ORGANISER,
    # The participation report (issue 20): moderators for an event, the steering group for the process.
    "organise.event_participation": MODERATOR,
    "organise.event_participation_chart": MODERATOR,
    "organise.download_event_participation": MODERATOR,
    "organise.process_participation": STEERING,
    "organise.process_participation_chart": STEERING,
    "organise.download_process_participation": STEERING,
    "organise.revoke_role": ADMIN,
    # Moderating an event.
    "moderate.console": MODERATOR,
    "moderate.console_fragment": MODERATOR,
    "moderate.console_live": MODERATOR,
    "moderate.control_round": MODERATOR,
    "moderate.extend_round": MODERATOR,
    "moderate.next_round": MODERATOR,
    "moderate.undo_ending": MODERATOR,
    "moderate.choose_scene": MODERATOR,
    "moderate.open_projector": MODERATOR,
    "rotation.show_rotation": MODERATOR,
    "rotation.apply_proposal": MODERATOR,
    "rotation.move_participant": MODERATOR,
    "rotation.switch_rotation": MODERATOR,
    "voting.open_vote": MODERATOR,
    "voting.close_vote": MODERATOR,
    "ideas.list_ideas": MODERATOR,
    "ideas.hide_idea": MODERATOR,
    "ideas.unhide_idea": MODERATOR,
    "ideas.merge_ideas": MODERATOR,
    "ideas.undo_merge": MODERATOR,
    "host.staff_photo": MODERATOR,
    "host.host_qr": MODERATOR,
    # Interpreters.
    "interpret.show_queue": INTERPRETER,
    "interpret.translate": INTERPRETER,
    "interpret.interpreters": ORGANISER,
    # The sorting board and its suggestions.
    "board.show_board": ORGANISER,
    "board.move_idea": ORGANISER,
    "board.more_cards": ORGANISER,
    "board.move_selected": ORGANISER,
    "board.merge_selected": ORGANISER,
    "board.undo_merge": ORGANISER,
    "board.create_cluster": ORGANISER,
    "board.rename_cluster": ORGANISER,
    "board.delete_cluster": ORGANISER,
    "board.goal_from_cluster": ORGANISER,
    "board.goal_from_selected": ORGANISER,
    "suggestions.accept": ORGANISER,
    "suggestions.reject": ORGANISER,
    "suggestions.accept_all": ORGANISER,
    "suggestions.undo_accept_all": ORGANISER,
    "suggestions.adopt_candidate": ORGANISER,
    # The goal tree: the steering group reads it, organisers change it.
    "goaltree.show_tree": STEERING,
    "goaltree.compare": STEERING,
    "goaltree.list_snapshots": {"GET": STEERING, "POST": ORGANISER},  # the steering group reads them
    "goaltree.show_snapshot": STEERING,
    "goaltree.start_tree": ORGANISER,
    "goaltree.edit_node": ORGANISER,
    "goaltree.add_child": ORGANISER,
    "goaltree.move_node": ORGANISER,
    "goaltree.delete_node": ORGANISER,
    "goaltree.unlink_idea": ORGANISER,
    "goaltree.add_indicator": ORGANISER,
    "goaltree.edit_indicator": ORGANISER,
    "goaltree.delete_indicator": ORGANISER,
    "goaltree.add_value": ORGANISER,
    "goaltree.delete_value": ORGANISER,
    # Exports.
    "exports.event_results": STEERING,
    "exports.show_record": STEERING,
    "exports.record_docx": STEERING,
    "exports.record_photo": STEERING,
    "exports.goal_tree": STEERING,
}

# The register of local actors (issue 21): organisers keep it, the steering group and moderators read it.
EXPECTATIONS.update({
    "actors.list_actors": staff("steering", "moderator"),
    "actors.show_actor": staff("steering", "moderator"),
    "actors.create_actor": ORGANISER,
    "actors.edit_actor": ORGANISER,
    "actors.delete_actor": ORGANISER,
    "actors.new_link": ORGANISER,
    "actors.revoke_link": ORGANISER,
    # An actor's personal link: the goal tree with feedback per node, and the invited workshops.
    "actor_link.show": ACTOR_LINK,
    "actor_link.give_feedback": ACTOR_LINK,
    "actor_link.contribute": ACTOR_LINK,
})

# The steering group (issue 21): it comments on nodes and snapshots and records decisions; organisers
# answer, resolve and delete a decision. The evaluation report is read as the comparison is.
EXPECTATIONS.update({
    "goaltree.node_feedback": STEERING,
    "goaltree.comment_snapshot": STEERING,
    "goaltree.list_feedback": STEERING,
    "goaltree.answer_comment": ORGANISER,
    "goaltree.resolve_comment": ORGANISER,
    "goaltree.reopen_comment": ORGANISER,
    "goaltree.list_decisions": STEERING,
    "goaltree.delete_decision": ORGANISER,
    "goaltree.evaluation_report": STEERING,
})

# Monitoring and the timeline (issue 21): indicator charts are read with the tree, values are
# imported by organisers, and every member of the process's team reads its timeline.
EXPECTATIONS.update({
    "goaltree.indicator_chart": STEERING,
    "goaltree.import_values": ORGANISER,
    "goaltree.confirm_import": ORGANISER,
    "organise.process_timeline": staff("steering", "moderator", "interpreter"),
})

# Passing a process on (issue 22): its organisers export its template and open data; only site admins
# create a process, also from a template.
EXPECTATIONS.update({
    "organise.share_process": ORGANISER,
    "organise.download_template": ORGANISER,
    "organise.download_open_data": ORGANISER,
    "organise.import_template": ADMIN,
})

# Values of URL variables other than the world's defaults, per endpoint: a constant or a function of
# one process's objects (tests/access_world.py `side_of`: A's, or B's for the cross-scope test). A
# name the route does not have goes into the query string (and to another scope like the others).
URL_VALUES = {
    "goaltree.compare": {"old": lambda side: side.snapshot_uuid},
    "goaltree.evaluation_report": {"old": lambda side: side.snapshot_uuid, "fmt": "xlsx"},
    "organise.event_participation_chart": {"chart": "round"},
    "organise.process_participation_chart": {"chart": "round"},
    "main.set_language": {"code": "en"},
    "moderate.control_round": {"action": "pause"},
    "board.more_cards": {"target": "unsorted"},
    "public.download": {"fmt": "json"},
    "rotation.apply_proposal": {"round_id": lambda side: side.next_round_id},
    "rotation.move_participant": {"round_id": lambda side: side.next_round_id},
    "organise.remove_round": {"round_id": lambda side: side.next_round_id},
    "registration.staff_check_in": {"participant_id": lambda side: side.registered_id},
    "registration.staff_cancel": {"participant_id": lambda side: side.registered_id},
}

# A form that would change something if accepted, as a function of one process's objects like
# URL_VALUES: a refused POST must change nothing, and a POST on another scope's object must too.
FORMS = {
    "organise.grant_role": lambda side: {"email": "nobody@matrix.test", "role": "organiser"},
    "organise.create_process": lambda side: {"title": "Übernommen", "retention_days": "365"},
    "organise.edit_process": lambda side: {"title": "Übernommen", "retention_days": "365"},
    "organise.rename_table": lambda side: {"name": "Übernommen"},
    "organise.edit_table": lambda side: {"name": "Übernommen", "host_name": "Übernommen", "host_languages": ["ar"]},
    "organise.table_interpreters": lambda side: {"membership": str(side.interpreter_membership_id),
                                                 f"round-{side.round_id}": str(side.table_id)},
    "participate.submit_idea": lambda side: {"text": "Eine fremde Idee", "key": "k" * 20,
                                              "round_id": str(side.round_id)},
    "participate.choose_table": lambda side: {"table": "2"},
    "online.submit": lambda side: {"question": str(side.round_id), "text": "Eine fremde Idee", "key": "o" * 20},
    "participate.join": lambda side: {"interface_language": "de", "writing_language": "de", "nickname": "Neu"},
    "participate.join_table": lambda side: {"interface_language": "de", "writing_language": "de", "nickname": "Neu"},
    "participate.leave": lambda side: {"keep_ideas": "delete", "confirm": "y"},
    "registration.register": lambda side: {"name": "Neu"},
    "registration.about_me": lambda side: {"gender": "female", "consent": "y"},
    "registration.staff_register": lambda side: {"name": "Neu"},
    "host.capture_ideas": lambda side: {"text": "Eine fremde Idee", "key": "k" * 20, "language": "de"},
    "host.save_summary": lambda side: {"text": "Übernommen"},
    "ideas.hide_idea": lambda side: {"reason": "Übernommen"},
    "board.rename_cluster": lambda side: {f"cluster-{side.cluster_id}-name": "Übernommen"},
    "goaltree.move_node": lambda side: {"direction": side.move_direction},
    "interpret.interpreters": lambda side: {"membership": str(side.interpreter_membership_id),
                                             f"m{side.interpreter_membership_id}-languages": ["en"]},
    "suggestions.adopt_candidate": lambda side: {"field": str(side.field_id), "name": "Übernommen"},
    "organise.close_event": lambda side: {"confirm": "yes"},
    "moderate.choose_scene": lambda side: {"scene": "pause"},
    "host.merge_ideas": lambda side: {"target": str(side.idea_uuid),
                                      "selected": [str(side.idea_uuid), str(side.spare_idea_uuid)]},
    "ideas.merge_ideas": lambda side: {"target": str(side.idea_uuid),
                                       "selected": [str(side.idea_uuid), str(side.spare_idea_uuid)]},
    "board.merge_selected": lambda side: {"target": str(side.idea_uuid),
                                          "selected": [str(side.idea_uuid), str(side.spare_idea_uuid)]},
    "board.move_selected": lambda side: {"selected": [str(side.spare_idea_uuid)],
                                         "to": f"cluster-{side.cluster_id}"},
    "board.move_idea": lambda side: {"to": f"cluster-{side.cluster_id}"},
    "board.goal_from_selected": lambda side: {"selected": [str(side.idea_uuid)], "goal_title": "Neues Ziel"},
    "rotation.move_participant": lambda side: {"participant": str(side.participant_id),
                                               "table": str(side.table_id)},
}

FORMS.update({
    "goaltree.node_feedback": lambda side: {"kind": "concern", "text": "Übernommen"},
    "goaltree.comment_snapshot": lambda side: {"kind": "comment", "text": "Übernommen"},
    "goaltree.answer_comment": lambda side: {"text": "Übernommen"},
    "goaltree.list_decisions": lambda side: {"decided_on": "2026-03-12", "meeting": "Übernommen",
                                             "text": "Übernommen", "nodes": [str(side.node_uuid)]},
})
FORMS.update({
    "actors.create_actor": lambda side: {"name": "Übernommen", "kind": "association"},
    "actors.edit_actor": lambda side: {"name": "Übernommen", "kind": "association"},
    "actor_link.give_feedback": lambda side: {"kind": "concern", "text": "Übernommen"},
})

# Workshops and interviews (issue 21): organisers invite actors of the register to an event;
# organisers and moderators record interviews and their statements.
EXPECTATIONS.update({
    "organise.event_invitations": ORGANISER,
    "organise.list_interviews": MODERATOR,
    "organise.create_interview": MODERATOR,
    "organise.show_interview": MODERATOR,
    "organise.edit_interview": MODERATOR,
    "organise.add_statements": MODERATOR,
    "organise.delete_statement": MODERATOR,
    "organise.delete_interview": MODERATOR,  # refused (409) while it has statements
})
FORMS.update({
    "organise.event_invitations": lambda side: {"actors": [str(side.actor_id), str(side.expert_id)]},
    "organise.create_interview": lambda side: {"role": "Übernommen", "organisation": "Übernommen",
                                               "actor_id": str(side.actor_id)},
    "organise.edit_interview": lambda side: {"role": "Übernommen", "organisation": "Übernommen"},
    "organise.add_statements": lambda side: {"text": "Eine fremde Aussage", "key": "s" * 20, "language": "de"},
    "organise.edit_event": lambda side: {"title": "Übernommen", "format": "workshop", "default_language": "de",
                                         "languages": ["de"], "action_field_id": str(side.field_id)},
})

# Participant routes for the phone's own objects only: another idea of the same event is refused.
OWN_ONLY = {"participate.delete_idea"}

# Once an event is closed, host links stop and phones only read: every POST of a phone or a link
# changes nothing then, except these (a participant may still delete their participation).
WRITES_AFTER_CLOSING = {"participate.leave", "registration.withdraw_about_me",  # consent is withdrawn any time
                        "actor_link.give_feedback"}  # on the process's goal tree, not on the event

# Objects a form names (by the attribute of `side_of` its FORMS entry reads): the cross-scope test
# puts another scope's object there too, as it does with the URL's.
FORM_OBJECTS = {
    "host.merge_ideas": ("spare_idea_uuid",),
    "ideas.merge_ideas": ("spare_idea_uuid",),
    "board.merge_selected": ("spare_idea_uuid",),
    "board.move_selected": ("spare_idea_uuid", "cluster_id"),
    "board.move_idea": ("cluster_id",),
    "board.goal_from_selected": ("idea_uuid",),  # sorted into a field already, as a goal needs
    "rotation.move_participant": ("participant_id", "table_id"),
    "interpret.interpreters": ("interpreter_membership_id",),
    "organise.table_interpreters": ("interpreter_membership_id", "round_id", "table_id"),
    "suggestions.adopt_candidate": ("field_id",),
    "goaltree.list_decisions": ("node_uuid",),
    "organise.event_invitations": ("actor_id",),
    "organise.create_interview": ("actor_id",),
    "organise.edit_event": ("field_id",),
}
