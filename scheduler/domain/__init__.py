"""The domain: what a week is made of (volunteers, shifts, rules), the roster record, ids and errors.

Everything else builds on these types; this package imports nothing else of the project.
"""
