"""Who may do what with comments. The object is the commented item for
add_comment, the comment for the others.

| permission            | who                                                               | when                   |
| --------------------- | ----------------------------------------------------------------- | ---------------------- |
| forums.add_comment    | logged in, e-mail confirmed, not blocked                          | discussion open        |
| forums.reply_comment  | logged in, e-mail confirmed, not blocked                          | open, comment visible  |
| forums.change_comment | the author, not blocked                                           | open, comment visible  |
| forums.delete_comment | the author (even blocked), or a moderator of the space (+ reason) | until deleted          |
| forums.react_comment  | logged in, e-mail confirmed, not blocked, not the author          | comment visible        |

Moderators of the space are those of moderation.moderate_content: staff, and the
people a ModeratorAssignment covers for the target's get_moderation_space()
(none: site-wide moderators only). A discussion is open unless the target says
otherwise through accepts_comments(), or is an unpublished page.
"""

from __future__ import annotations

import rules

from civicplatform.core.predicates import is_authenticated, is_blocked, is_email_confirmed, is_moderator_of, is_staff
from forums.predicates import (
    comment_discussion_open,
    comment_is_deleted,
    comment_is_live,
    is_comment_author,
    target_accepts_comments,
)

can_participate = is_authenticated & is_email_confirmed & ~is_blocked
moderates_comment = is_staff | (is_moderator_of & ~is_blocked)

rules.add_perm("forums.add_comment", can_participate & target_accepts_comments)
rules.add_perm("forums.reply_comment", can_participate & comment_is_live & comment_discussion_open)
rules.add_perm("forums.change_comment", is_comment_author & ~is_blocked & comment_is_live & comment_discussion_open)
rules.add_perm("forums.delete_comment", ~comment_is_deleted & (is_comment_author | moderates_comment))
rules.add_perm("forums.react_comment", can_participate & ~is_comment_author & comment_is_live)
