"""A real WebSocket server (Debian's python3-websockets) that the Duplex client's interop tests talk to.

    /usr/bin/python3 websockets_echo_server.py

Listens on 127.0.0.1 and a free port and prints one line, "listening PORT websockets VERSION on Python
VERSION", then serves until its standard input closes. Exits 3 when the websockets package is missing.
The behaviour, on any path (the same for the Node.js and Go servers beside it; docs/interop.md):

- subprotocols: picks the first of "duplex.v2", "duplex.v1" (the server's preference) that the client
  offers, none otherwise;
- echoes every text and binary message as it came;
- "please close": closes with 4001 "closing as asked";
- "please fragment text" / "please fragment binary": sends FRAGMENTED_TEXT / FRAGMENTED_BINARY as one
  message in several fragments (websockets sends each item of an iterable as one frame; text items are
  str, so text is cut between characters);
- when a connection ends, prints "closed PATH CODE REASON" with the close code the server received
  (1005 for none, 1006 when the connection dropped).

Written against the asyncio API of websockets 10.x (Debian 12 ships 10.4): websockets.serve with
select_subprotocol, recv by iteration, send of an iterable, close, close_code, close_reason.
"""

import asyncio
import sys

try:
    import websockets
except ImportError:
    print("python3-websockets is not installed for " + sys.executable
          + ": apt-get install python3-websockets (bash .ci/run installs it)", file=sys.stderr)
    sys.exit(3)

SUBPROTOCOLS = ["duplex.v2", "duplex.v1"]
FRAGMENTED_TEXT = "fragment \U0001D11E \u00FC " * 300
FRAGMENTED_BINARY = bytes(i % 256 for i in range(5000))
TEXT_CUTS = [10, 1300, 2611]  # character offsets
BINARY_CUTS = [10, 1711, 3415]  # byte offsets


def pieces(data, cuts):
    bounds = [0] + cuts + [len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:])]


def select_subprotocol(client_subprotocols, server_subprotocols):
    for protocol in SUBPROTOCOLS:
        if protocol in client_subprotocols:
            return protocol
    return None


async def handle(ws):
    try:
        async for message in ws:
            if message == "please close":
                await ws.close(4001, "closing as asked")
            elif message == "please fragment text":
                await ws.send(pieces(FRAGMENTED_TEXT, TEXT_CUTS))
            elif message == "please fragment binary":
                await ws.send(pieces(FRAGMENTED_BINARY, BINARY_CUTS))
            else:
                await ws.send(message)
    finally:
        print(f"closed {ws.path} {ws.close_code} {ws.close_reason}", flush=True)


async def main():
    # No keepalive pings (they would interleave with the tests' messages); room for the large messages.
    async with websockets.serve(handle, "127.0.0.1", 0, subprotocols=SUBPROTOCOLS,
                                select_subprotocol=select_subprotocol, ping_interval=None,
                                max_size=64 << 20, compression=None) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"listening {port} websockets {websockets.__version__} on Python {sys.version.split()[0]}",
              flush=True)
        # Serve until the test closes our standard input.
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main())
