"""What the tool says about a week and a roster, as data: the supply against the seats, input
validation, checking an edited roster, explanations and cover for a drop-out. Words come later,
from `scheduler.render`.
"""
