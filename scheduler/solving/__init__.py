"""Solving one week: the model, the search and its stopping, the independent parts and the time each
gets, the warm start (greedy fill, min-cost flow, polishing), the memory estimate, and the roster
record with the reasons its empty seats stay empty.
"""
