"""Week after week: what changed between two rosters, the service-hours ledger, and the notices that
tell each volunteer when to come.
"""
