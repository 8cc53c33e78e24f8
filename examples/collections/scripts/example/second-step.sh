#!/bin/sh
# Logic script of example/second-step: the dependency on example/registered-email is checked by the server
# before this runs, so all that is left is to say yes.
exit 0
