"""Stored action-field suggestions and candidate clusters for a process's unsorted ideas.

The model (`suggestion_model`) reads every visible idea of the process: its German translation
where one exists (the organiser's language), else the text as written (character n-grams are
language-independent), plus each action field's names, descriptions and keywords in all languages
as cold-start texts. Results are stored, so the board reads them without waiting; a recomputation
runs after sortings change, in one worker at a time (claimed with a conditional UPDATE).
"""
import threading
from datetime import timedelta

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ActionField, ClusterCandidate, Contribution, Event, Process, Suggestion
from app.models.base import utcnow
from app.services.sorting import sorting, suggestion_model
from app.services.errors import DomainError, NotFound

CLAIM_TIMEOUT = timedelta(minutes=2)  # a worker that died while computing loses its claim
# Short, noisy ideas sit far apart; at this mean cosine distance a group still shares its topic.
CANDIDATE_DISTANCE = 0.7
# Candidate clusters look at the newest unsorted ideas only: an organiser works through a few
# groups at a time, and grouping thousands would double the time of a recomputation.
CANDIDATE_POOL = 1500


def _model_text(idea: Contribution) -> str:
    """The idea's German translation where one exists, else its text as written.

    Measured (bench/suggestions_translations.py, the demo's 60 ideas, 20 of them not in German):
    the German translation alone suggests the right field for the non-German ideas more often than
    the translation with the original beside it (0.66 against 0.61 balanced accuracy) and far more
    often than the original alone (0.17): the organisers' ideas and seed texts are German.
    """
    german = idea.translation("de") if idea.language != "de" else None
    return german or idea.text


def _seeds(fields: list[ActionField]) -> dict[str, list[str]]:
    seeds = {}
    for field in fields:
        texts = []
        for language in set(field.name) | set(field.description):
            texts += suggestion_model.seed_texts(field.name.get(language, ""), field.description.get(language, ""))
        seeds[str(field.id)] = texts + suggestion_model.seed_texts(keywords=field.keywords or [])
    return seeds


def recompute(process: Process) -> int:
    """Rank the fields for every unsorted idea and store the best two; regroup candidates.

    Returns the number of suggestions stored.
    """
    started = utcnow()
    ideas = list(db.session.scalars(
        db.select(Contribution).join(Event).where(
            Event.process_id == process.id, Contribution.hidden_at.is_(None),
            Contribution.merged_into_id.is_(None))
        .options(selectinload(Contribution.translations)).order_by(Contribution.id)
    ))
    fields = list(process.action_fields)
    field_ids = {field.id for field in fields}
    texts = [_model_text(idea) for idea in ideas]
    labelled = {i: str(idea.action_field_id) for i, idea in enumerate(ideas) if idea.action_field_id in field_ids}
    rankings = suggestion_model.rank(texts, labelled, _seeds(fields)) if fields and ideas else [[] for _ in ideas]

    existing = {s.contribution_id: s for s in db.session.scalars(
        db.select(Suggestion).where(Suggestion.contribution_id.in_([idea.id for idea in ideas]))
    )} if ideas else {}
    stored = 0
    unsorted = []
    for i, idea in enumerate(ideas):
        suggestion = existing.get(idea.id)
        if idea.action_field_id is not None:
            if suggestion is not None:
                db.session.delete(suggestion)
            continue
        unsorted.append(i)
        rejected = set(suggestion.rejected_field_ids) if suggestion else set()
        ranked = [(int(field), confidence) for field, confidence in rankings[i] if int(field) not in rejected]
        if not ranked:
            if suggestion is not None:
                db.session.delete(suggestion)
            continue
        if suggestion is None:
            suggestion = Suggestion(contribution_id=idea.id, rejected_field_ids=[])
            db.session.add(suggestion)
        suggestion.action_field_id, suggestion.confidence = ranked[0][0], min(1.0, max(0.0, ranked[0][1]))
        runner_up = ranked[1] if len(ranked) > 1 else (None, None)
        suggestion.runner_up_id, suggestion.runner_up_confidence = runner_up
        suggestion.computed_at = started
        stored += 1

    db.session.execute(db.delete(ClusterCandidate).where(ClusterCandidate.process_id == process.id))
    pool = unsorted[-CANDIDATE_POOL:]
    for members, label in suggestion_model.clusters([texts[i] for i in pool], distance_threshold=CANDIDATE_DISTANCE):
        db.session.add(ClusterCandidate(process_id=process.id, label=label[:200],
                                        contribution_ids=[ideas[pool[m]].id for m in members]))
    process.suggestions_computed_at = started
    db.session.flush()
    return stored


def is_current(process: Process) -> bool:
    return process.suggestions_computed_at is not None and (
        process.suggestions_stale_at is None or process.suggestions_stale_at <= process.suggestions_computed_at)


def _claim(process_id: int) -> bool:
    """Take the one right to compute this process's suggestions now (any worker, any machine)."""
    now = utcnow()
    claimed = db.session.execute(
        update(Process).where(Process.id == process_id).where(
            (Process.suggestions_computing_since.is_(None))
            | (Process.suggestions_computing_since < now - CLAIM_TIMEOUT)
        ).values(suggestions_computing_since=now)
    ).rowcount
    db.session.commit()
    return claimed == 1


def refresh(process_id: int) -> bool:
    """Recompute if no other worker is at it, until the suggestions are current. Commits."""
    if not _claim(process_id):
        return False
    try:
        process = db.session.get(Process, process_id)
        for _ in range(3):  # sortings made while computing make it stale again
            recompute(process)
            db.session.commit()
            db.session.refresh(process)
            if is_current(process):
                break
    finally:
        db.session.rollback()
        db.session.execute(update(Process).where(Process.id == process_id).values(suggestions_computing_since=None))
        db.session.commit()
    return True


def refresh_soon(process: Process) -> None:
    """Bring stale suggestions up to date without making the page wait (inline under tests)."""
    if is_current(process):
        return
    app = current_app._get_current_object()
    if app.config.get("SUGGESTIONS_INLINE"):
        refresh(process.id)
        return
    threading.Thread(target=_refresh_in_app, args=(app, process.id), daemon=True).start()


def _refresh_in_app(app: Flask, process_id: int) -> None:
    with app.app_context():
        try:
            refresh(process_id)
        except Exception:  # logged; the board keeps the last suggestions
            app.logger.exception("Recomputing suggestions failed for process %s", process_id)
        finally:
            db.session.remove()


def suggestion_of_process(process: Process, suggestion_id: int) -> Suggestion:
    suggestion = db.session.scalar(
        db.select(Suggestion).join(Contribution).join(Event)
        .where(Suggestion.id == suggestion_id, Event.process_id == process.id)
    )
    if suggestion is None:
        raise NotFound(_l("Diesen Vorschlag gibt es nicht (mehr)."))
    return suggestion


def accept(suggestion: Suggestion, *, runner_up: bool = False) -> Contribution:
    """Sort the idea into the suggested field (or the runner-up)."""
    field_id = suggestion.runner_up_id if runner_up else suggestion.action_field_id
    field = db.session.get(ActionField, field_id) if field_id else None
    if field is None:
        raise DomainError(_l("Diesen Vorschlag gibt es nicht (mehr)."))
    idea = db.session.get(Contribution, suggestion.contribution_id)
    sorting.move([idea], field, None)
    db.session.delete(suggestion)
    db.session.flush()
    return idea


def reject(suggestion: Suggestion) -> None:
    """The field is wrong for this idea: never suggest it again; the runner-up moves up."""
    suggestion.rejected_field_ids = [*suggestion.rejected_field_ids, suggestion.action_field_id]
    if suggestion.runner_up_id is None:
        db.session.delete(suggestion)
    else:
        suggestion.action_field_id, suggestion.confidence = suggestion.runner_up_id, suggestion.runner_up_confidence or 0.0
        suggestion.runner_up_id = suggestion.runner_up_confidence = None
    db.session.flush()


def candidates(process: Process) -> list[tuple[ClusterCandidate, list[Contribution]]]:
    """The proposed groups of similar unsorted ideas, with those ideas (still unsorted) loaded."""
    result = []
    for candidate in db.session.scalars(
            db.select(ClusterCandidate).filter_by(process_id=process.id).order_by(ClusterCandidate.id)):
        ideas = db.session.scalars(db.select(Contribution).where(
            Contribution.id.in_(candidate.contribution_ids), Contribution.action_field_id.is_(None),
            Contribution.merged_into_id.is_(None))).all()
        if len(ideas) >= 2:
            result.append((candidate, ideas))
    return result


def adopt_candidate(process: Process, candidate_id: int, field: ActionField, name: str) -> int:
    """Make a proposed group a named cluster in `field`, with its still-unsorted ideas in it."""
    candidate = db.session.scalar(db.select(ClusterCandidate).filter_by(process_id=process.id, id=candidate_id))
    if candidate is None or field.process_id != process.id:
        raise NotFound(_l("Diesen Vorschlag gibt es nicht (mehr)."))
    cluster = sorting.create_cluster(field, name or candidate.label)
    ideas = db.session.scalars(db.select(Contribution).where(
        Contribution.id.in_(candidate.contribution_ids), Contribution.action_field_id.is_(None))).all()
    sorting.move(list(ideas), field, cluster)
    db.session.delete(candidate)
    db.session.flush()
    return len(ideas)
