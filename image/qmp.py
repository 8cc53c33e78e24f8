#!/usr/bin/env python3
# Usage: qmp.py SOCKET COMMAND   e.g. qmp.py vm.qmp system_powerdown
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
f.readline()
for cmd in ("qmp_capabilities", sys.argv[2]):
    f.write(json.dumps({"execute": cmd}) + "\n"); f.flush(); print(f.readline().strip())
