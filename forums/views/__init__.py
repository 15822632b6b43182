"""Views of the forums app: comment actions (any commentable item), forums and
threads with their live catch-up, and live-event questions."""
