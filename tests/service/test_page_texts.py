"""The page speaks both languages fully: the same words exist in Chinese and English, and the page uses only those."""

from __future__ import annotations

import re
from pathlib import Path

from scheduler.service.web.texts import TEXTS

WEB = Path(__file__).parent.parent.parent / "scheduler" / "service" / "web"


def test_chinese_and_english_have_the_same_keys() -> None:
    assert set(TEXTS["zh"]) == set(TEXTS["en"])
    assert all(TEXTS["zh"][key].strip() and TEXTS["en"][key].strip() for key in TEXTS["zh"])


def test_every_word_the_page_asks_for_exists() -> None:
    template = (WEB / "templates" / "index.html").read_text(encoding="utf-8")
    script = (WEB / "static" / "page.js").read_text(encoding="utf-8")
    asked = set(re.findall(r"t\['([\w.]+)'\]", template)) | set(re.findall(r'"(files\.\w+)"', template))
    asked |= {key + ".help" for key in asked if key.startswith("files.")}  # each upload's help line
    asked |= set(re.findall(r'say\("([\w.]+)"', script))
    asked -= {"weekday.", "status."}  # the families built in code, listed whole below
    asked |= {f"weekday.{n}" for n in range(7)} | {"status.complete", "status.partial"}
    assert asked and asked <= set(TEXTS["zh"]), sorted(asked - set(TEXTS["zh"]))
