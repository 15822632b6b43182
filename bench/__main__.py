"""`python -m bench` (and `make bench`) runs the serving benchmark."""

from __future__ import annotations

import sys

from bench.serving import main

sys.exit(main())
