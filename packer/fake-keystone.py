#!/usr/bin/env python3
# A minimal Keystone v3 stand-in on 127.0.0.1, so `packer validate` of the openstack source can authenticate
# without a cloud (packer 1.6.6 authenticates during validate). Usage: fake-keystone.py PORT
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
BASE = f"http://127.0.0.1:{PORT}"
def ep(t, n):
    return {"type": t, "name": n, "id": n, "endpoints": [
        {"interface": i, "region": "RegionOne", "region_id": "RegionOne", "url": f"{BASE}/{n}", "id": f"{n}-{i}"}
        for i in ("public", "internal", "admin")]}
class H(BaseHTTPRequestHandler):
    def log_message(self, fmt, *a): pass
    def _send(self, code, body, hdr=None):
        b = json.dumps(body).encode()
        self.send_response(code); self.send_header("Content-Type", "application/json")
        for k, v in (hdr or {}).items(): self.send_header(k, v)
        self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
    def do_GET(self):
        self._send(200, {"version": {"id": "v3.14", "status": "stable", "links": [{"rel": "self", "href": BASE + "/v3/"}]}})
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.rstrip("/").endswith("/auth/tokens"):
            tok = {"token": {"methods": ["password"], "expires_at": "2099-01-01T00:00:00.000000Z",
                   "issued_at": "2020-01-01T00:00:00.000000Z",
                   "user": {"id": "u", "name": "packer", "domain": {"id": "default", "name": "Default"}},
                   "project": {"id": "p", "name": "demo", "domain": {"id": "default", "name": "Default"}},
                   "catalog": [ep("compute", "nova"), ep("image", "glance"), ep("network", "neutron"),
                               ep("volumev3", "cinder"), ep("identity", "keystone")]}}
            self._send(201, tok, {"X-Subject-Token": "fake-token"})
        else:
            self._send(404, {"error": "not faked"})
HTTPServer(("127.0.0.1", PORT), H).serve_forever()
