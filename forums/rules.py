"""Who may do what in the forums. The table is in docs/ROLES.md.

Comments (the object is the commented item for add_comment, the comment for the others):

| permission            | who                                                               | when                   |
| --------------------- | ----------------------------------------------------------------- | ---------------------- |
| forums.add_comment    | logged in, e-mail confirmed, not blocked, may see the item        | discussion open        |
| forums.reply_comment  | logged in, e-mail confirmed, not blocked, may see the item        | open, comment visible  |
| forums.change_comment | the author, not blocked, may see the item                         | open, comment visible  |
| forums.delete_comment | the author (even blocked), or a moderator of the space (+ reason) | until deleted          |
| forums.react_comment  | logged in, e-mail confirmed, not blocked, not the author          | open, comment visible  |

Forums and threads (the object is the forum, the thread or the question):

| permission                   | who                                                           | when                 |
| ---------------------------- | ------------------------------------------------------------- | -------------------- |
| forums.view_forum / _thread  | anyone for a public forum; else its members (moderators too), staff | always         |
| forums.add_thread            | participants who may see the forum                            | always               |
| forums.add_structured_thread | moderators of the forum (debates and live events)             | always               |
| forums.moderate_thread       | moderators of the forum (members if members-only), staff      | always               |
| forums.close_thread          | moderators of the forum, staff                                | until closed         |
| forums.ask_question          | participants who may see the live event                       | until closed         |
| forums.vote_question         | participants who may see it, not its author                   | approved, not closed |
| forums.moderate_question     | moderators of the forum, staff                                | always               |

"Participant" is logged in, e-mail confirmed and not blocked. Moderators of a
space are those of moderation.moderate_content: staff, and the people a
ModeratorAssignment covers for the content's get_moderation_space() (a forum
for its threads, posts and questions; none: site-wide moderators only). A
discussion is open unless the target says otherwise through accepts_comments(),
or is an unpublished page; a target restricts who sees it through
`view_permission` (a thread names forums.view_thread).
"""

from __future__ import annotations

import rules

from civicplatform.core.predicates import is_authenticated, is_blocked, is_email_confirmed, is_moderator_of, is_staff
from forums.predicates import (
    comment_discussion_open,
    comment_is_deleted,
    comment_is_live,
    comment_target_viewable,
    forum_is_public,
    is_comment_author,
    is_forum_member,
    is_question_author,
    question_is_approved,
    question_thread_is_open,
    target_accepts_comments,
    target_is_viewable,
    thread_is_live_event,
    thread_is_open,
)

can_participate = is_authenticated & is_email_confirmed & ~is_blocked
moderates_comment = is_staff | (is_moderator_of & ~is_blocked)
# A members-only forum (a citizens' jury deliberating) is private to its members and the staff: its own
# moderators are members with the moderator role (membership_set), a site-wide moderator who is not a
# member neither reads nor moderates it.
sees_forum = forum_is_public | is_forum_member | is_staff
# The forum, thread or question's space is its forum (get_moderation_space).
moderates_forum = is_staff | (is_moderator_of & ~is_blocked & (forum_is_public | is_forum_member))

rules.add_perm("forums.add_comment", can_participate & target_accepts_comments & target_is_viewable)
rules.add_perm(
    "forums.reply_comment", can_participate & comment_is_live & comment_discussion_open & comment_target_viewable
)
rules.add_perm(
    "forums.change_comment",
    is_comment_author & ~is_blocked & comment_is_live & comment_discussion_open & comment_target_viewable,
)
rules.add_perm("forums.delete_comment", ~comment_is_deleted & (is_comment_author | moderates_comment))
rules.add_perm(
    "forums.react_comment",
    can_participate & ~is_comment_author & comment_is_live & comment_discussion_open & comment_target_viewable,
)

rules.add_perm("forums.view_forum", sees_forum)
rules.add_perm("forums.view_thread", sees_forum)
rules.add_perm("forums.add_thread", can_participate & sees_forum)
rules.add_perm("forums.add_structured_thread", moderates_forum)
rules.add_perm("forums.moderate_thread", moderates_forum)
rules.add_perm("forums.close_thread", moderates_forum & thread_is_open)
rules.add_perm("forums.ask_question", can_participate & sees_forum & thread_is_live_event & thread_is_open)
rules.add_perm(
    "forums.vote_question",
    can_participate & sees_forum & question_is_approved & question_thread_is_open & ~is_question_author,
)
rules.add_perm("forums.moderate_question", moderates_forum)
