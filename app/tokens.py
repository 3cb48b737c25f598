"""Secrets for links and short codes for posters."""
import secrets

# No look-alikes: 0/O, 1/I/L are left out so a code read aloud or off a poster is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_token() -> str:
    """A URL-safe secret of 256 bits, for host, return and projector links."""
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Codes are case-insensitive and forgiving of spaces and dashes people type."""
    return code.strip().upper().replace(" ", "").replace("-", "")
