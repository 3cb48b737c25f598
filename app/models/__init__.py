"""All models, imported here so Alembic and the app see every table."""
from app.models.accepted_batch import AcceptedBatch
from app.models.actors import Actor, Comment, Decision, Interview
from app.models.audit import AuditEntry, IdeaRevision
from app.models.clustering import Cluster, ClusterCandidate, Suggestion
from app.models.contribution import Contribution, ContributionTranslation
from app.models.event import CafeTable, Event, InterpreterAssignment, Round
from app.models.job import Job
from app.models.goaltree import GoalNode, GoalNodeIdea, Indicator, IndicatorValue, Snapshot
from app.models.participant import Participant, Seat
from app.models.process import ActionField, Process
from app.models.shared_view import SharedView
from app.models.table_record import RoundSummary, TablePhoto
from app.models.undo import RoundUndo
from app.models.user import Membership, User
from app.models.vote import Merge, Vote

__all__ = [
    "AcceptedBatch", "ActionField", "Actor", "Comment", "Decision", "Interview", "AuditEntry", "CafeTable", "Cluster", "ClusterCandidate", "Suggestion", "Contribution", "ContributionTranslation", "Event",
    "GoalNode", "GoalNodeIdea", "IdeaRevision", "InterpreterAssignment", "Job", "Indicator", "IndicatorValue", "Snapshot",
    "Membership", "Merge", "Participant", "Process", "Round", "RoundSummary", "RoundUndo", "Seat", "SharedView", "TablePhoto",
    "User", "Vote",
]
