"""Server-side stand-in for the Ubuntu Accomplishments client library.

The accomplishments-validator puts this package on PYTHONPATH when it runs a
collection's logic script, so scripts written for the 2012 system run
unchanged: they import ``accomplishments.daemon.dbusapi`` and ask it for the
user's extra information.  There is no D-Bus and no daemon here; see
``daemon/dbusapi.py``.

Standard library only, Python 3.
"""

import os
import sys
import traceback


def _uncaught_is_an_error(kind, value, tb):
    # An uncaught exception makes Python exit 1, which a logic script's caller
    # reads as "not accomplished" (formats.md section 3) and would retry for
    # days.  A crash is "error while checking": print it and exit 2 instead.
    # sys.exit() raises SystemExit, which never reaches this hook.
    try:
        traceback.print_exception(kind, value, tb)
        sys.stderr.flush()
        sys.stdout.flush()
    finally:
        os._exit(2)


sys.excepthook = _uncaught_is_an_error
