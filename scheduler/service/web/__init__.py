"""The coordinator's page: server-rendered, Chinese first, every asset served by the server itself.

`routes.router` serves `/` (the page), `/login` (a token or a login link exchanged for a session
cookie), `/logout` and `/static/…`. The page calls the same `/api/v1` resources other systems
call, with its session cookie and a CSRF token it got from the server.
"""
