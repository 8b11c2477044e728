"""The API's description page; the coordinator's page is `scheduler/service/web/`."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>volunteer-roster API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
h2{margin-top:2rem}code,pre{background:#f4f4f4;padding:.1rem .3rem}.op{margin:.6rem 0;padding:.5rem;border:1px solid #ddd}
.m{font-weight:bold;display:inline-block;width:4.5rem}</style></head>
<body><h1>volunteer-roster API</h1>
<p>The OpenAPI 3 description: <a href="/openapi.json">/openapi.json</a> (load it into any OpenAPI tool).
Every <code>/api/</code> call carries <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<div id="ops">Loading…</div>
<script>
fetch('/openapi.json').then(r => r.json()).then(spec => {
  const ops = document.getElementById('ops'); ops.textContent = '';
  for (const [path, item] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(item)) {
    const div = document.createElement('div'); div.className = 'op';
    const head = document.createElement('div');
    const m = document.createElement('span'); m.className = 'm'; m.textContent = method.toUpperCase();
    const p = document.createElement('code'); p.textContent = path;
    head.append(m, p); div.append(head);
    const d = document.createElement('div'); d.textContent = op.description || op.summary || ''; div.append(d);
    const codes = document.createElement('div');
    codes.textContent = 'answers: ' + Object.keys(op.responses || {}).join(', '); div.append(codes);
    ops.append(div);
  }
});
</script></body></html>
"""


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    """A self-contained page over /openapi.json: nothing is fetched from outside the server."""
    return HTMLResponse(DOCS_PAGE)
