"""Writes of the verification app, one module per way of verifying.

- levels.py: raise or lower an account's level, with its log row and audit row
- registers.py: import a census / electoral list as keyed hashes, and match a person against it
- conflicts.py: staff decisions when a register entry already verified another account
- letters.py: codes sent by post
- desk.py: accounts created and verified at the town-hall desk
"""
