"""The committed OpenAPI description (`openapi.json` beside this file) and how to bring it up to date.

    python -m scheduler.service.openapi      # rewrite openapi.json from the code

A test fails when the code's schema drifts from the committed file.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

COMMITTED = Path(__file__).parent / "openapi.json"


def document() -> dict:
    """The application's OpenAPI 3 description, as /openapi.json serves it."""
    from scheduler.service.app import create_app

    with tempfile.TemporaryDirectory() as data:
        app = create_app(data, run_queue=False)
        try:
            return app.openapi()
        finally:
            app.state.service.db.dispose()


def text(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    COMMITTED.write_text(text(document()), encoding="utf-8")
    print(f"wrote {COMMITTED}")
