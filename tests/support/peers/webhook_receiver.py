"""A real HTTP receiver for webhook tests (Python's standard library only).

usage: /usr/bin/python3 webhook_receiver.py PORT DIR

Every POST to 127.0.0.1:PORT is written to DIR/NNNNNN.json as
{"path", "headers": {lower-case name: value}, "body": text} and answered with
the status in DIR/status (default 200). Runs until killed.
"""
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
COUNT = [0]


def make_handler(directory):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8")
            try:
                with open(os.path.join(directory, "status")) as f:
                    status = int(f.read().strip() or "200")
            except OSError:
                status = 200
            if status < 300:
                with LOCK:
                    COUNT[0] += 1
                    n = COUNT[0]
                record = {"path": self.path,
                          "headers": {k.lower(): v for k, v in self.headers.items()},
                          "body": body}
                tmp = os.path.join(directory, ".%06d.tmp" % n)
                with open(tmp, "w") as f:
                    json.dump(record, f)
                os.rename(tmp, os.path.join(directory, "%06d.json" % n))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(directory))
    print("webhook receiver listening on 127.0.0.1:%d" % port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
