"""The coordinator's page in a real headless Chromium against `roster serve` as a real process.

The controls are found by the labels the contract gives them (花名册, 岗位与活动, 排班周, 开始排班,
停止, the progressbar role, the 值勤表 caption, 下载值勤表（Excel）, 下载明细（CSV）). Each step
leaves a screenshot under tests/.artifacts/page/ (not committed) for a person to look at.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import httpx
import pytest

from .support import SAMPLE, WEEK, Server

playwright_api = pytest.importorskip("playwright.sync_api", reason="the page tests drive Chromium with Playwright")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed")
SHOTS = Path(__file__).parent.parent / ".artifacts" / "page"
ARGS = ["--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
QUICK_RULES = (SAMPLE / "rules.yaml").read_text(encoding="utf-8") + "\ntime_limit: 8\n"


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server(tmp_path):
    started = Server(tmp_path / "data").start()
    yield started
    started.stop()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def signed_in(browser, server, **context):
    page = browser.new_context(**context).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.url}/login?token={server.admin}")
    assert page.url == f"{server.url}/"  # the token is no longer in the address
    page.errors = errors
    return page


def new_community(page, cid: str = "yanji7", name: str = "延吉七村") -> None:
    page.locator("#new-community summary").click()
    page.get_by_label("社区编号（英文或数字，如 yanji7）").fill(cid)
    page.get_by_label("社区名称").fill(name)
    page.get_by_role("button", name="创建").click()
    page.wait_for_function(f"document.getElementById('community').value === '{cid}'")


def upload(page, label: str, name: str, content: bytes) -> None:
    page.get_by_label(label, exact=True).set_input_files({"name": name, "mimeType": "application/octet-stream",
                                                          "buffer": content})


def shows(page, selector: str, text: str, timeout: float = 30_000) -> None:
    """Wait until the element's text holds `text` (the page fetches in the background)."""
    page.wait_for_function("([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)", arg=[selector, text],
                           timeout=timeout)


def plan(page) -> None:
    page.get_by_role("button", name="开始排班").click()
    page.wait_for_selector("[role=progressbar]", state="visible")
    page.wait_for_function("document.getElementById('plan-result').textContent.includes('排班完成')"
                           " || document.getElementById('plan-result').textContent.includes('已停止')",
                           timeout=120_000)


def test_the_weekly_job_in_the_browser(browser, server, tmp_path):
    page = signed_in(browser, server, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    shot(page, "01-signed-in")
    new_community(page)

    upload(page, "花名册", "volunteers.csv", (SAMPLE / "volunteers.csv").read_bytes())
    page.get_by_text("已收到").first.wait_for()
    upload(page, "岗位与活动", "shifts.yaml", (SAMPLE / "shifts.yaml").read_bytes())
    upload(page, "排班规则（可不传）", "rules.yaml", QUICK_RULES.encode())
    page.wait_for_function("document.querySelectorAll('.result .good').length === 3")
    page.get_by_label("排班周").fill(WEEK)
    page.get_by_role("button", name="核对").click()
    page.get_by_text("排班前核算").wait_for()
    assert page.get_by_role("button", name="开始排班").is_enabled()
    shot(page, "02-uploaded-and-checked")

    page.get_by_role("button", name="开始排班").click()
    page.get_by_role("progressbar").wait_for()
    shot(page, "03-planning")
    page.wait_for_function("document.getElementById('plan-result').textContent.includes('排班完成')", timeout=120_000)
    grid = page.locator("table.roster")
    assert "值勤表" in grid.locator("caption").inner_text()
    assert "11月30日\n周一" in grid.locator("thead").inner_text() and "延吉七村" in grid.locator("caption").inner_text()
    assert not re.search(r"\bV\d{3}\b", grid.inner_text())  # names, never ids
    shot(page, "04-roster")

    # Why this person has these shifts; who could stand in when they drop out.
    first = grid.locator("button.name").first
    person = first.inner_text()
    first.click()
    shows(page, "#why-text", person)
    shot(page, "05-why-volunteer")
    page.get_by_role("button", name="不能来，找人替班").first.click()
    page.get_by_text("可以替班的人").wait_for()
    stand_in = page.locator("ol.candidates li").first.inner_text().replace("就用此人", "").strip()
    page.locator("ol.candidates li").first.get_by_role("button", name="就用此人").click()
    page.get_by_text("已改好并保存").wait_for()
    page.wait_for_function(f"document.querySelector('table.roster').innerText.includes({stand_in!r})")
    shot(page, "06-stand-in")

    # Who could take a shift; lock a person to it.
    cell = grid.locator("td[data-shift]").nth(3)
    box = cell.bounding_box()
    cell.click(position={"x": box["width"] - 4, "y": box["height"] - 4})  # the cell, not a name in it
    page.get_by_role("button", name="固定此人到这个班").click()
    page.locator("#why-actions").get_by_role("button", name="固定此人到这个班").click()
    page.get_by_text("已固定").wait_for()
    locks = httpx.get(f"{server.url}/api/v1/communities/yanji7/files/locks.csv",
                      headers={"Authorization": f"Bearer {server.admin}"})
    assert locks.status_code == 200 and "@2026-" in locks.text
    shot(page, "07-locked")

    # Re-plan keeping what is published before Wednesday.
    page.get_by_label("保留已发布的安排：此日期之前的安排不变", exact=True).check()
    page.get_by_label("保留到哪一天").fill("2026-12-02")
    plan(page)
    shot(page, "08-replanned")
    assert "排班完成" in page.locator("#plan-result").inner_text(), page.locator("#plan-result").inner_text()
    page.locator("#changes table").wait_for()
    shot(page, "08-replanned")

    # Downloads: the workbook and the CSV, byte for byte the week's files.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载值勤表（Excel）").click()
    assert download.value.path().read_bytes()[:2] == b"PK"
    with page.expect_download() as download:
        page.get_by_role("link", name="下载明细（CSV）").click()
    written = server.data / "communities" / "yanji7" / "rosters" / WEEK / "assignments.csv"
    assert download.value.path().read_bytes() == written.read_bytes()

    # Earlier weeks and the month's service hours, with the export.
    assert WEEK in page.locator("#weeks").inner_text()
    page.get_by_label("月份").fill("2026-12")
    page.get_by_role("button", name="统计").click()
    page.locator("#hours table").wait_for()
    assert page.locator("#hours tbody tr").count() > 10
    assert page.get_by_role("link", name="导出（CSV）").get_attribute("href").endswith("format=csv")
    shot(page, "09-hours")

    # The print view: one A4 landscape page, names at 10 pt or more.
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (SHOTS / "roster-print.pdf").write_bytes(pdf)
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
        page_one = document.pages[0]
        assert page_one.width > page_one.height  # landscape
        names = [c for c in page_one.chars if "\u4e00" <= c["text"] <= "\u9fff"]
        assert names and min(c["size"] for c in names) >= 10
    assert page.errors == []
    # The login link's query is never logged (only `roster serve` printing the new admin token at start has it).
    requests = [line for line in server.log.read_text().splitlines() if " GET " in line or " POST " in line]
    assert any(" GET /login " in line for line in requests)
    assert not any("token" in line or server.admin in line for line in requests)


def test_a_register_with_three_mistakes_shows_three_problems_and_plans_nothing(browser, server):
    page = signed_in(browser, server, viewport={"width": 1280, "height": 900})
    new_community(page)
    upload(page, "岗位与活动", "shifts.yaml", (SAMPLE / "shifts.yaml").read_bytes())
    lines = (SAMPLE / "volunteers.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    broken = [lines[0]]
    for number, line in enumerate(lines[1:4]):
        cells = line.split(",")
        column = ["性别", "出生日期", "健康状况"][number]
        cells[header.index(column)] = ["外星人", "明天", "很好很好"][number]
        broken.append(",".join(cells))
    upload(page, "花名册", "volunteers.csv", ("\n".join(broken + lines[4:]) + "\n").encode())
    problems = page.locator("#result-volunteers table.problems tbody tr")
    problems.first.wait_for()
    assert problems.count() == 3
    assert "未保存" in page.locator("#result-volunteers").inner_text()
    page.get_by_label("排班周").fill(WEEK)
    page.get_by_role("button", name="核对").click()
    page.wait_for_timeout(500)
    assert page.get_by_role("button", name="开始排班").is_disabled()
    shot(page, "10-three-mistakes")
    assert not (server.data / "communities" / "yanji7" / "volunteers.csv").exists()
    assert not (server.data / "communities" / "yanji7" / "rosters").exists()


def test_a_phone_shows_the_page_without_sideways_scrolling(browser, server):
    page = signed_in(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    new_community(page)
    assert page.get_by_label("花名册", exact=True).is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(page, "11-phone")


def test_english_switch_and_a_write_without_the_page_token_is_refused(browser, server):
    page = signed_in(browser, server, viewport={"width": 1280, "height": 900})
    page.get_by_role("link", name="English").click()
    assert page.get_by_label("Register", exact=True).is_visible()
    assert page.get_by_role("button", name="Plan the week").is_visible()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    forged = httpx.post(f"{server.url}/api/v1/communities", json={"id": "x1", "name": "x"}, cookies=cookies)
    assert forged.status_code == 403
    session = next(c for c in page.context.cookies() if c["name"] == "roster_session")
    assert session["httpOnly"] and session["sameSite"] == "Strict"


def test_a_pasted_token_logs_in_and_a_stale_link_says_so(browser, server):
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/login?token=rst_not-a-real-token")
    assert page.url == f"{server.url}/?login=bad"
    assert page.get_by_role("alert").is_visible()
    page.get_by_label("令牌").fill(server.admin)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("社区", exact=True).wait_for()
    page.get_by_role("button", name="退出").click()
    page.get_by_label("令牌").wait_for()
