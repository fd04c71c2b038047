import sys

from twitchnet.cli import main

sys.exit(main())
