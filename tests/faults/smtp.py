"""A tiny SMTP server that accepts every message and keeps it, for the email fault test.

It speaks just enough of RFC 5321 for Django's SMTP backend without TLS or
authentication: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP and QUIT.
"""

from __future__ import annotations

import socketserver
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


class _Session(socketserver.StreamRequestHandler):
    timeout = 30

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        sender, recipients = "", []
        self._reply("220 imhcf-faults ESMTP ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self._reply("250-imhcf-faults")
                self._reply("250 8BITMIME")
            elif verb == "HELO":
                self._reply("250 imhcf-faults")
            elif verb == "MAIL":
                sender, recipients = command.partition(":")[2].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.record(Received(sender, recipients, self._read_data()))
                sender, recipients = "", []
                self._reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                sender, recipients = (sender, recipients) if verb == "NOOP" else ("", [])
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _read_data(self) -> EmailMessage:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                break
            # Dot-stuffing: a leading dot was doubled by the client.
            lines.append(line[1:] if line.startswith(b"..") else line)
        return message_from_bytes(b"".join(lines), policy=policy.default)


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), _Session)
        self.received: list[Received] = []
        self._lock = threading.Lock()

    def record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)


@contextmanager
def smtp_server(port: int):
    server = SmtpServer(port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
