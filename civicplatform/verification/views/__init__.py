"""Views: person.py (the person verifies themself), staff.py (registers, letters, conflicts), desk.py (guichet)."""
