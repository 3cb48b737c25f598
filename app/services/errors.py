"""Domain errors: services raise them, one error handler turns them into a translated 4xx."""


class DomainError(Exception):
    """A request the rules refuse; `message` is a translated (lazy) string for the user."""

    status_code = 400

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotFound(DomainError):
    status_code = 404


class NoSuchEvent(NotFound):
    """A join code that names no event: the page offers to type it again."""

    def __init__(self, message, code: str):
        super().__init__(message)
        self.code = code


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409
