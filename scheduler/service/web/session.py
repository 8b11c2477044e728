"""The page's session: the token in an HttpOnly, SameSite=Strict cookie, and a CSRF token derived from it.

The cookie holds the token itself (already shown once to its holder); JavaScript cannot read it.
A write made with the cookie must carry `X-CSRF-Token`, an HMAC of the token that only pages
served by this server (which read it from the cookie) can know, so another site cannot forge it.
"""

from __future__ import annotations

import hashlib
import hmac

COOKIE = "roster_session"
LANG_COOKIE = "roster_lang"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(secret: str) -> str:
    return hmac.new(secret.encode(), b"roster-page-csrf", hashlib.sha256).hexdigest()


def csrf_ok(secret: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(csrf_token(secret), sent.strip())
