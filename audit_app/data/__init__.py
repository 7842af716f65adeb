"""The only code that queries or commits the database.

Views call one function here per request; every list query has a
deterministic order.
"""
