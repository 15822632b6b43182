"""Writes of the petitions app, one module per concern:

- lifecycle: draft → co-sponsors → moderation → open → threshold → closed → answered → archived;
- signing: sign (logged in, at the desk, or by e-mail), confirm, withdraw;
- counting: fold the signature rows into the stored count, and notice thresholds;
- abuse: held signatures, bulk invalidations, disposable domains, unusual activity;
- privacy: anonymisation after closing, erasure of an account.
"""
