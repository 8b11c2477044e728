"""Input errors and `roster validate` speak the committee's language: Chinese where the rules say
`language: zh` (the Yanji sample), English with `--lang en` or where the rules say `en`."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler import api
from scheduler.cli import ProgressLine
from scheduler.domain.errors import Finding, InputError
from scheduler.render.findings import finding_text
from scheduler.solving.solver import Progress
from tests.conftest import run_cli

WEEK = "2026-W50"


def _break_register(folder: Path) -> None:
    """Row 2's gender becomes `lady`, row 3's availability `周八 全天` followed by a phone number."""
    register = folder / "volunteers.csv"
    lines = register.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(",女,", ",lady,", 1)
    lines[2] = lines[2].replace("周一至周日 全天", "周八 全天 13912345678", 1)
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_broken_register_in_a_chinese_folder_is_reported_in_chinese(yanji_copy):
    _break_register(yanji_copy)
    result = run_cli("validate", yanji_copy, "--week", WEEK)
    assert result.exit_code == 2
    text = result.stderr
    assert text.startswith("输入文件用不了：发现 2 处问题。没有写入任何文件。")
    gender = next(line for line in text.splitlines() if "「性别」" in line)
    # file, row, column (as the register heads it), what is wrong, the value, the fix
    assert "volunteers.csv，第 2 行，列「性别」：性别只能是 女 或 男（填的是「lady」）。改法：填 女 或 男" in gender
    availability = next(line for line in text.splitlines() if "可服务时间" in line)
    assert "第 3 行" in availability and "「周八」" in availability and "改法：" in availability
    assert "13912345678" not in text and "*******5678" in text  # masked in Chinese too
    assert "gender" not in text and "Fix" not in text
    assert not (yanji_copy / "rosters").exists()


def test_lang_en_gives_the_same_report_in_english(yanji_copy):
    _break_register(yanji_copy)
    result = run_cli("validate", yanji_copy, "--week", WEEK, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith("Cannot use the inputs: 2 problems found. Nothing was written.")
    assert ("volunteers.csv, row 2, column '性别': gender must be F or M (女/男) (value: 'lady'). "
            "Fix: write 女 or 男 (or F / M)") in result.stderr
    assert "13912345678" not in result.stderr


def test_solve_reports_bad_input_in_chinese_and_writes_nothing(yanji_copy):
    _break_register(yanji_copy)
    result = run_cli("solve", yanji_copy, "--week", WEEK, "--quiet", "--time-limit", "5")
    assert result.exit_code == 2
    assert "性别只能是 女 或 男" in result.stderr and "没有写入任何文件" in result.stderr
    assert not (yanji_copy / "rosters").exists()


def test_a_rules_file_that_cannot_be_read_still_gives_its_language(tutorial_copy):
    rules = tutorial_copy / "rules.yaml"
    rules.write_text(rules.read_text() + "\nmax_shifts_per_day: lots\n", encoding="utf-8")
    result = run_cli("validate", tutorial_copy)
    assert result.exit_code == 2
    assert "Cannot use the inputs: 1 problem found." in result.stderr, result.stderr  # the tutorial says en
    rules.write_text("language: en\nmax_shifts_per_day: [\n", encoding="utf-8")
    assert api.rules_language(tutorial_copy) == "en"
    rules.write_text("max_shifts_per_day: [\n", encoding="utf-8")
    assert api.rules_language(tutorial_copy) == "zh"  # the rules' default


def test_validate_speaks_chinese_on_the_yanji_sample(yanji_copy):
    result = run_cli("validate", yanji_copy)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "输入文件检查通过：2026-W50（2026-12-07 至 2026-12-13）。"
    assert "志愿者：在册 228 人，共 232 人" in lines
    assert "  健康：  良好 182、一般 41、较差 5" in lines
    assert "本周班次：91 个" in lines
    assert any(line.startswith("  2026-12-12 周六") for line in lines)
    assert "按时段" in result.output and "Volunteers" not in result.output and "seats" not in result.output


def test_validate_in_english_with_lang_en(yanji_copy):
    result = run_cli("validate", yanji_copy, "--lang", "en")
    assert result.exit_code == 0
    assert result.output.startswith("The inputs are valid for 2026-W50 (2026-12-07 - 2026-12-13).")
    assert "  health:    good 182, fair 41, poor 5" in result.output
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in result.output.split("Shifts this week")[0].replace(
        "性别", ""))


def test_a_finding_keeps_its_code_blanks_and_location():
    with pytest.raises(InputError) as caught:
        api.load(volunteers=[{"id": "1", "name": "王秀英", "gender": "x", "age": 60}],
                 shifts=[{"id": "a", "days": ["Mon"], "start": "07:00", "end": "09:00", "need": 5, "max": 2}])
    codes = {finding.code for finding in caught.value.findings}
    assert codes == {"input.value.gender", "input.shift.need_above_max"}
    need = next(f for f in caught.value.findings if f.code == "input.shift.need_above_max")
    assert need.params["need"] == 5 and need.params["most"] == 2 and need.column == "max"
    assert str(need) == ("<shifts data>, column 'max': shift 'a': need (5) is above max (2) (value: 2). "
                         "Fix: raise max or lower need")
    assert finding_text(need, "zh") == ("<shifts data>，列「max」：班次「a」：need（5）大于 max（2）（填的是「2」）。"
                                        "改法：调高 max 或调低 need")


def test_a_phone_number_in_a_message_is_masked_in_both_languages():
    finding = Finding(file="v.csv", row=3, column="可服务时间", value="周八 13912345678",
                      code="input.availability.unknown", params={"text": "13912345678"})
    for lang in ("zh", "en"):
        assert "13912345678" not in finding_text(finding, lang) and "5678" in finding_text(finding, lang)


def test_the_progress_line_speaks_chinese_for_zh(capsys):
    line = ProgressLine("zh")
    line.live, line.last = False, -10.0
    line(Progress(elapsed=1.5, shortfall=2, objective=1200, bound=900))
    assert "1.5 秒   还缺   2 人次" in capsys.readouterr().err


def test_locks_that_break_a_rule_together_say_so_in_chinese(tutorial_copy):
    (tutorial_copy / "locks.csv").write_text("volunteer,shift\n004,cleanup@2026-12-05\n004,reading-1205@2026-12-05\n",
                                             encoding="utf-8")
    result = run_cli("solve", tutorial_copy, "--week", "2026-W49", "--quiet", "--lang", "zh")
    assert result.exit_code == 2
    line = next(line for line in result.stderr.splitlines() if "locks.csv" in line)
    assert "列「shift」：这几条锁定合在一起违反了规则 max_shifts_per_day：Chen Meihua（004）在 2026-12-05 有 2 个班次" in line
    assert "the limit is" not in line and "改法：从锁定文件里删掉这一行" in line


def test_a_refused_community_is_told_in_the_city_table_s_language():
    from scheduler.city import City, summary_text
    from scheduler.engines import Outcome

    finding = Finding(file="volunteers.csv", row=2, column="性别", value="lady", code="input.value.gender")
    refused = Outcome(folder="/c/b", week=WEEK, status="invalid", message=str(finding), findings=(finding, finding))
    city = City(parent=Path("/c"), week=WEEK, outcomes=[refused], summary=Path("/c/s.csv"), seconds=1.0)
    assert "    volunteers.csv，第 2 行，列「性别」：性别只能是 女 或 男（填的是「lady」）。改法：填 女 或 男（也可填 F / M） (+1)" \
        in summary_text(city, "zh").splitlines()
    assert "    volunteers.csv, row 2, column '性别': gender must be F or M (女/男) (value: 'lady'). Fix: write 女 or 男 " \
           "(or F / M) (+1)" in summary_text(city, "en").splitlines()


def test_a_usage_error_speaks_the_folder_s_language(yanji_copy, tutorial_copy):
    result = run_cli("solve", yanji_copy, "--time-limit", "nan")
    assert result.exit_code == 2 and "'nan' 不是有效的秒数。改法：写一个数字，如 30" in result.output
    result = run_cli("solve", tutorial_copy, "--time-limit", "nan")
    assert result.exit_code == 2 and "'nan' is not a number of seconds. Fix: write a number such as 30" in result.output
