"""Permissions of consultations. Who may *answer* or *vote* is not a rule here but a
Decision with its reason (selectors.answer_decision, votes.vote_decision): the page must
say why not. Tested as a matrix in tests/test_rules.py."""

from __future__ import annotations

import rules

from civicplatform.core.predicates import is_blocked, is_moderator_of, is_staff

from .predicates import is_published, results_are_public, vote_is_closed, works_at_desk

rules.add_perm("consultations.view_questionnaire", is_published | is_staff)
rules.add_perm("consultations.view_results", (is_published & results_are_public) | is_staff)
rules.add_perm("consultations.export_responses", is_staff)
rules.add_perm("consultations.moderate_answers", is_staff | (is_moderator_of & ~is_blocked))

rules.add_perm("consultations.view_vote", is_published | is_staff)
rules.add_perm("consultations.view_vote_results", (is_published & vote_is_closed) | is_staff)
rules.add_perm("consultations.record_paper_vote", works_at_desk)

rules.add_perm("consultations.view_conversation", is_published | is_staff)
