"""``python -m hrd_tui``: the same as the ``hrd-tui`` command."""

import sys

from hrd_tui.cli import main

sys.exit(main())
