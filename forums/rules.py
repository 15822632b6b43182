"""Who may do what with comments. The object is the commented item for
add_comment, the comment for the others.

| permission            | anonymous | blocked | e-mail confirmed           | author          | moderator of the space |
| --------------------- | --------- | ------- | -------------------------- | --------------- | ---------------------- |
| forums.add_comment    | no        | no      | while the discussion is open                                           |
| forums.reply_comment  | no        | no      | visible comment, while the discussion is open                          |
| forums.change_comment | no        | no      | no                         | while open      | no (hides instead)     |
| forums.delete_comment | no        | own     | no                         | yes             | yes, with a reason     |
| forums.react_comment  | no        | no      | visible comment            | not own comment | as a participant       |

Moderators of the space are those of moderation.moderate_content (staff, and the
people a ModeratorAssignment covers for the target's get_moderation_space()).
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
