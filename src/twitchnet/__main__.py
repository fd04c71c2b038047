"""``python -m twitchnet``: the command line (see :mod:`twitchnet.present.cli`)."""

import sys

from twitchnet.present.cli import main

sys.exit(main())
