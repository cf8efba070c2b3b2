"""A real SMTP server on loopback for the API tests and the bench (aiosmtpd).

    python smtp_catcher.py --port PORT --dir DIR

Listens on 127.0.0.1:PORT (0: any free port) and prints one line once it accepts connections:
`smtp-catcher ready on 127.0.0.1:<port>`. Each message it accepts becomes two files in DIR,
numbered in the order accepted: `<n>.json` (the envelope: `mail_from`, `rcpt_tos`, and
`accepted_at` in seconds since the epoch) and then `<n>.eml` (the bytes received, exactly), so a
reader that sees the `.eml` also finds its envelope.

What it answers to each DATA is read from DIR at that moment:
- `answer`: one SMTP reply a line (`451 4.3.0 try later`, `550 5.7.1 refused`). Each DATA takes
  the first line and removes it while others follow; the last line answers every DATA after.
  Without the file, `250 OK`. A message is stored only when the answer is a 250.
- `hold`: while this file exists, answers wait (a mail server that stalls).

It exits when its standard input closes, so a test that dies leaves no server behind.
"""

import argparse
import asyncio
import json
import os
import sys
import threading
import time

from aiosmtpd.smtp import SMTP

ACCEPTED = "250 OK"


def write_whole(path, data):
    """Writes to a temporary name, then renames: a reader never sees half a file."""
    part = path + ".part"
    with open(part, "wb") as f:
        f.write(data)
    os.replace(part, path)


class Catcher:
    def __init__(self, directory):
        self.directory = directory
        stored = [name for name in os.listdir(directory) if name.endswith(".eml")]
        self.count = max((int(name.split(".")[0]) for name in stored), default=0)

    def next_answer(self):
        path = os.path.join(self.directory, "answer")
        try:
            with open(path, encoding="utf-8") as f:
                lines = [line.strip() for line in f if line.strip()]
        except FileNotFoundError:
            return ACCEPTED
        if not lines:
            return ACCEPTED
        if len(lines) > 1:
            write_whole(path, ("\n".join(lines[1:]) + "\n").encode("utf-8"))
        return lines[0]

    async def handle_DATA(self, server, session, envelope):
        while os.path.exists(os.path.join(self.directory, "hold")):
            await asyncio.sleep(0.01)
        answer = self.next_answer()
        if answer.startswith("250"):
            self.count += 1
            stem = os.path.join(self.directory, f"{self.count:06d}")
            meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "accepted_at": time.time()}
            write_whole(stem + ".json", json.dumps(meta).encode("utf-8"))
            write_whole(stem + ".eml", envelope.original_content or envelope.content)
        return answer


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


async def serve(port, directory):
    catcher = Catcher(directory)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(catcher, hostname="smtp-catcher.test", enable_SMTPUTF8=True), host="127.0.0.1", port=port
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"smtp-catcher ready on 127.0.0.1:{bound}", flush=True)
    await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(serve(args.port, args.dir))


if __name__ == "__main__":
    main()
