"""The tally rules: greedy variants (`greedy.py`) and the Method of Equal Shares (`mes.py`)."""
