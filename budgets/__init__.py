"""Participatory budgets: processes, proposals, ballots and their tallies."""
