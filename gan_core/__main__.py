import sys

from gan_core.cli.main import main

sys.exit(main())
