"""The roster service: the library over HTTP (`roster serve`), with tokens, a run queue and a database.

Layout: `app.py` builds the FastAPI application from the routers in `routers/` (one per
resource); `schemas.py` holds the request and response models, apart from the storage models in
`db.py`; `auth.py` the tokens and roles; `files.py` the community folders; `runs.py` the queue
and `worker.py` the process that plans one week; `engine_runs.py` the runs sent to an engine of
`scheduler.engines` instead (`--engine ray`); `commands.py` the `serve` and `token` commands.
The web page, when it comes, lives in `web/`.
"""

# The library through its front door first: some of its modules (scheduler.io.writers) cannot be
# the first one imported.
import scheduler.api  # noqa: F401


def __getattr__(name: str):
    # `create_app` is imported on demand: the `roster` command line loads this package for its
    # `serve` and `token` commands and should not pay for FastAPI and SQLAlchemy otherwise.
    if name == "create_app":
        from scheduler.service.app import create_app

        return create_app
    raise AttributeError(f"module 'scheduler.service' has no attribute {name!r}")
