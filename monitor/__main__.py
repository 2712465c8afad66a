"""``python -m monitor``."""

from __future__ import annotations

import gc
import sys

from monitor.cli import main

if __name__ == "__main__":
    # The modules just imported live as long as the process: move their objects out of the
    # collector's reach, so collections during a check walk only what the check allocates, and
    # exit does not walk them either (an unchanged check at N = 1000: ~0.2 s less of ~2.4 s).
    gc.freeze()
    sys.exit(main())
