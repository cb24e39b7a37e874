#!/usr/bin/env python3
"""Writes to stdout one RFC 5322 message from an authorized demo contact with a generated attachment of N MB
(default 40), base64-encoded as mail clients send it; the bytes are deterministic (seeded), so their SHA-256 is
printed to stderr for checking what the desk stored. For docs/performance.md («A large attachment»):
    python3 scripts/attachment-mail.py 40 > /tmp/att40.eml"""
import base64, hashlib, random, sys

mb = int(sys.argv[1]) if len(sys.argv) > 1 else 40
rng = random.Random(18)
content = rng.randbytes(mb * 1024 * 1024)
print(hashlib.sha256(content).hexdigest(), file=sys.stderr)
out = sys.stdout.buffer
out.write(("From: it@romashka.example.ru\r\nTo: support@example.ru\r\nSubject: Дамп базы\r\n"
           f"Message-ID: <attachment-{mb}mb@romashka.test>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\nЛогин u10001. Прикладываю дамп базы, сайт выдаёт ошибку 502.\r\n"
           "--b\r\nContent-Type: application/octet-stream; name=\"dump.bin\"\r\n"
           "Content-Disposition: attachment; filename=\"dump.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n").encode("utf-8"))
encoded = base64.b64encode(content)
for i in range(0, len(encoded), 76):
    out.write(encoded[i:i + 76] + b"\r\n")
out.write(b"--b--\r\n")
