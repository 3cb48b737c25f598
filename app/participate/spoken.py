"""What is spoken at each table besides German, under the phone's lists of tables to choose from.

Round 1 is a free choice: someone who needs interpretation sees where their language is spoken
(by the table's host or an interpreter seated there for that round) and chooses themselves.
"""
from app.participate.routes import bp
from app.services.cafe import table_languages
from app.services.cafe.rounds import seating_round


@bp.app_template_global()
def spoken_at_tables(event) -> dict[int, list[str]]:
    """Table id -> the languages besides German spoken there in the round people sit down for."""
    return table_languages.spoken_besides_german(event, seating_round(event))
