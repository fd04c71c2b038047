"""``python -m twitchnet``: the command line (see :mod:`twitchnet.cli`)."""

import sys

from twitchnet.cli import main

sys.exit(main())
