#!/usr/bin/env python3
"""A stand-in for Maven Central's Publisher API on loopback, for the release rehearsal of .ci/release-check.

It answers the one call the central-publishing-maven-plugin makes with waitUntil=UPLOADED
(POST /api/v1/publisher/upload, a multipart form holding the bundle), stores the bundle as a zip file and
stops. Nothing leaves the machine: the build is pointed here with -DcentralBaseUrl.
Usage: central-stand-in.py PORT_FILE BUNDLE_FILE  (writes the port it listens on to PORT_FILE)
"""
import http.server
import sys

port_file, bundle_file = sys.argv[1], sys.argv[2]


class Upload(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        if not self.path.startswith('/api/v1/publisher/upload'):
            self.send_error(404, 'only the upload call is stood in for')
            return
        body = self.rfile.read(int(self.headers['Content-Length']))
        boundary = self.headers.get_content_type() == 'multipart/form-data' and self.headers.get_param('boundary')
        start = body.find(b'PK\x03\x04')
        end = body.rfind(b'\r\n--' + boundary.encode()) if boundary else -1
        if start < 0 or end < start:
            self.send_error(400, 'no zip bundle in the upload')
            return
        with open(bundle_file, 'wb') as out:
            out.write(body[start:end])
        self.send_response(201)
        self.send_header('Content-Type', 'text/plain')
        self.end_headers()
        self.wfile.write(b'rehearsal-deployment')
        self.server.uploaded = True

    def log_message(self, format, *args):
        sys.stderr.write('central stand-in: ' + (format % args) + '\n')


class StandIn(http.server.HTTPServer):
    uploaded = False
    timed_out = False

    def handle_timeout(self):
        self.timed_out = True


server = StandIn(('127.0.0.1', 0), Upload)
with open(port_file, 'w') as out:
    out.write(str(server.server_address[1]))
server.timeout = 900  # a build that never uploads: give up after 15 minutes without a request
while not server.uploaded:
    server.handle_request()
    if not server.uploaded and server.timed_out:
        sys.exit('central stand-in: no upload came')
