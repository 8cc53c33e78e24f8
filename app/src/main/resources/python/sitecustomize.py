"""Loaded by Python's site module at start-up from PYTHONPATH, before the logic script is even compiled.

It installs the accomplishments stand-in's crash handler (see accomplishments/__init__.py), so that a script that
cannot run at all - a SyntaxError in an old Python 2 script (`print "x"`), an ImportError of a module the server
lacks - exits 2 ("error while checking") rather than Python's 1, which would read as "not accomplished".

It shadows the distribution's sitecustomize, which on Debian/Ubuntu only installs apport's crash reporter: not
wanted for scripts run by a service.
"""

import accomplishments  # noqa: F401  (installs sys.excepthook)
