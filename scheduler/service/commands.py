"""`roster serve` and `roster token …`: the service's two commands, added to the `roster` group."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

DEFAULT_DATA = "./roster-data"


data_option = click.option("--data", type=click.Path(file_okay=False), default=DEFAULT_DATA, show_default=True,
                           help="The data folder: DATA/communities/<id>/ and the embedded database.")
db_option = click.option("--db", "db_url", metavar="URL",
                         help="Database URL (default sqlite:///DATA/roster.db; postgresql://… for PostgreSQL).")


def _database(data: str, db_url: str | None):
    from scheduler.service.db import Database, default_url

    Path(data).mkdir(parents=True, exist_ok=True)
    db = Database(db_url or default_url(Path(data)))
    db.migrate()
    return db


@click.command()
@data_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@db_option
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Solves at once (default: 1 per 2 cores; with Ray, as many as the cluster can carry).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              envvar="ROSTER_ENGINE", show_envvar=True,
              help="Where runs are planned: local worker processes, or one Ray task per run.")
@click.option("--ray-address", metavar="ADDR", envvar="ROSTER_RAY_ADDRESS", show_envvar=True,
              help="With --engine ray: the cluster to join ('auto': the one `ray start` set up here); "
                   "none starts Ray on this machine.")
def serve(data, host, port, db_url, jobs, engine, ray_address) -> None:
    """Serve the roster API (and the page) over HTTP; GET /healthz answers once it accepts requests."""
    import uvicorn

    from scheduler.domain.errors import RosterError
    from scheduler.service.app import create_app
    from scheduler.service.auth import create_token, has_admin

    _configure_logging()
    try:  # first, so that a cluster out of reach stops the start before anything is written
        app = create_app(data, db_url, jobs, engine=engine, ray_address=ray_address if engine == "ray" else None)
    except RosterError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    runs = app.state.service.runs
    logging.getLogger("roster.service").info("runs: engine %s, %s at once", runs.backend.name, runs.jobs)
    db = _database(data, db_url)
    with db.session() as session:
        secret = None if has_admin(session) else create_token(session, role="admin", name="admin")
    db.dispose()
    if secret:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        click.echo("An admin token was created (it is shown this once; keep it safe):\n"
                   f"    {secret}\nLog in to the page with:\n    http://{shown}:{port}/login?token={secret}", err=True)
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_config=None,
                            timeout_graceful_shutdown=5, lifespan="on")
    server = Server(config, app)
    server.run()  # type: ignore[attr-defined]  # Server() builds a uvicorn.Server


class Server:
    """uvicorn's server, telling the application when a shutdown begins so open event streams end, and
    leaving with exit code 0 after SIGTERM or Ctrl-C."""

    def __new__(cls, config, app):
        import uvicorn

        class _Server(uvicorn.Server):
            def handle_exit(self, sig, frame) -> None:
                app.state.service.closing = True
                super().handle_exit(sig, frame)
                # A stop asked for is a clean exit (0): uvicorn would raise the signal again afterwards.
                getattr(self, "_captured_signals", []).clear()

        return _Server(config)


def _configure_logging() -> None:
    """The server log: one line per request (method, path, status), never a query string, a body or a token."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    for name in ("roster.service", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True


@click.group()
def token() -> None:
    """Create, list and revoke the service's access tokens."""


@token.command("create")
@click.argument("community", required=False)
@data_option
@db_option
@click.option("--role", type=click.Choice(["coordinator", "viewer"]), default="coordinator", show_default=True)
@click.option("--name", default="", help="Who holds it (shown in the audit log), e.g. 'li-grid-system'.")
@click.option("--admin", is_flag=True, help="An admin token: every community, creates communities.")
def create(community, data, db_url, role, name, admin) -> None:
    """A new token for COMMUNITY (or --admin); printed alone on the last line, shown this once."""
    from scheduler.service.auth import audit, create_token
    from scheduler.service.files import COMMUNITY_ID, community_dir

    if admin == bool(community):
        raise click.UsageError("give either a COMMUNITY or --admin")
    if community and not COMMUNITY_ID.fullmatch(community):
        raise click.BadParameter("letters, digits, '-' and '_' only, e.g. yanji7", param_hint="COMMUNITY")
    db = _database(data, db_url)
    with db.session() as session:
        secret = create_token(session, role="admin" if admin else role, community=community, name=name)
        audit(session, "roster token", community, "create token", role="admin" if admin else role, name=name)
    db.dispose()
    if community:
        community_dir(Path(data), community).mkdir(parents=True, exist_ok=True)
    click.echo(f"Token for {'every community (admin)' if admin else f'{community} ({role})'}, shown this once:")
    click.echo(secret)


@token.command("list")
@data_option
@db_option
def list_(data, db_url) -> None:
    """Every token: its number, name, role, community and whether it is revoked (never the secret)."""
    from scheduler.service.auth import list_tokens

    db = _database(data, db_url)
    with db.session() as session:
        rows = [(t.id, t.name, t.role, t.community or "*", t.created_at, t.revoked_at or "") for t in list_tokens(session)]
    db.dispose()
    click.echo(f"{'id':>4}  {'name':<24}{'role':<13}{'community':<16}{'created':<26}revoked")
    for row in rows:
        click.echo(f"{row[0]:>4}  {row[1]:<24}{row[2]:<13}{row[3]:<16}{row[4]:<26}{row[5]}")


@token.command("revoke")
@click.argument("token_id", type=int)
@data_option
@db_option
def revoke_(token_id, data, db_url) -> None:
    """Revoke the token numbered TOKEN_ID (see `roster token list`): it stops working at once."""
    from scheduler.service.auth import audit, revoke

    db = _database(data, db_url)
    with db.session() as session:
        done = revoke(session, token_id)
        if done:
            audit(session, "roster token", None, "revoke token", token=token_id)
    db.dispose()
    if not done:
        raise click.ClickException(f"no active token number {token_id}: see `roster token list`")
    click.echo(f"Token {token_id} revoked.")
