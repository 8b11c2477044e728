"""The fast eligibility tables give exactly what asking `why_not` of every pair gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from constraints.eligibility import eligible_volunteers, why_not
from constraints.fairness import offers
from scheduler import api

SAMPLES = Path(__file__).parent.parent.parent / "sample_data"


@pytest.mark.parametrize("folder, week", [("yanji7", "2026-W49"), ("yanji7", "2026-W53"), ("tutorial", "2026-W49")])
def test_tables_agree_with_every_pair(folder, week):
    problem = api.load(SAMPLES / folder, week=week)
    expected = {s.id: [v.id for v in problem.volunteers if why_not(v, s) is None] for s in problem.shifts}
    assert eligible_volunteers(problem) == expected


def test_tables_agree_with_every_pair_on_a_generated_district(tmp_path):
    """Many teams, ages, health levels, windows and blocked dates: the groups the tables share work by."""
    api.generate(tmp_path / "g", 300, seed=3, week="2026-W50")
    problem = api.load(tmp_path / "g", week="2026-W50")
    expected = {s.id: [v.id for v in problem.volunteers if why_not(v, s) is None] for s in problem.shifts}
    assert eligible_volunteers(problem) == expected
    assert len({tuple(vids) for vids in expected.values()}) > 10 and sum(map(len, expected.values())) > 1000


def test_offers_count_each_person_s_shifts_and_days():
    problem = api.load(SAMPLES / "yanji7", week="2026-W49")
    eligible = eligible_volunteers(problem)
    offered = offers(problem, eligible)
    for volunteer in problem.volunteers:
        mine = [s for s in problem.shifts if volunteer.id in eligible[s.id]]
        most = min(problem.rules.weekly_cap(volunteer), len({s.date for s in mine}) * problem.rules.max_shifts_per_day,
                   len(mine))
        assert offered[volunteer.id] == most
