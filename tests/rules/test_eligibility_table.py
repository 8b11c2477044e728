"""The fast eligibility tables give exactly what asking `why_not` of every pair gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from constraints.eligibility import eligible_volunteers, why_not
from scheduler import api

SAMPLES = Path(__file__).parent.parent.parent / "sample_data"


@pytest.mark.parametrize("folder, week", [("yanji7", "2026-W49"), ("yanji7", "2026-W53"), ("tutorial", "2026-W49")])
def test_tables_agree_with_every_pair(folder, week):
    problem = api.load(SAMPLES / folder, week=week)
    expected = {s.id: [v.id for v in problem.volunteers if why_not(v, s) is None] for s in problem.shifts}
    assert eligible_volunteers(problem) == expected
