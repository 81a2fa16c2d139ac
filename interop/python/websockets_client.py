"""A real WebSocket client (Debian's python3-websockets) that plays one interop scenario against a server.

    /usr/bin/python3 websockets_client.py URL SCENARIO [LIMIT]

Exits 0 and prints one "ok" line when the server behaved as the scenario expects; exits 1 with a
message saying what was expected and what was seen otherwise, 2 on bad usage, 3 when the websockets
package is missing. LIMIT is the server's message size limit in bytes, needed by `large`.

Written against the asyncio API of websockets 10.x (Debian 12 ships 10.4): websockets.connect,
send (a str, bytes, or an iterable of fragments), recv, ping (returns a waiter for the pong),
close, close_code, close_reason, and ConnectionClosed.rcvd.

The server under test is expected to echo every text and binary message, to answer the text
"please close" with a close frame 4001 "closing as asked", to answer "please ping" with a ping and
then the text "pong received: duplex" once the pong arrives, and (scenario `subprotocol`) to choose
"duplex.v2" from the offered subprotocols and greet with "subprotocol=duplex.v2".
"""

import asyncio
import sys

try:
    import websockets
except ImportError:
    print("python3-websockets is not installed for " + sys.executable
          + ": apt-get install python3-websockets (bash .ci/run installs it)", file=sys.stderr)
    sys.exit(3)

SCENARIO_TIMEOUT_S = 15
VERSION = getattr(websockets, "__version__", "unknown")


class Failure(Exception):
    pass


def expect_equal(what, actual, expected):
    if actual != expected:
        if isinstance(expected, (bytes, str)) and len(expected) > 80:
            raise Failure(f"{what}: expected {type(expected).__name__} of length {len(expected)}, "
                          f"got {type(actual).__name__} of length {len(actual) if hasattr(actual, '__len__') else '?'}"
                          + first_difference(actual, expected))
        raise Failure(f"{what}: expected {expected!r}, got {actual!r}")


def first_difference(actual, expected):
    if type(actual) is not type(expected):
        return ""
    for i, (a, e) in enumerate(zip(actual, expected)):
        if a != e:
            return f", first difference at index {i}"
    return ""


def pseudo_random_bytes(length, seed=1):
    """The same linear congruential sequence as the node client, so failures are reproducible."""
    out = bytearray(length)
    x = seed
    for i in range(length):
        x = (x * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = x >> 24
    return bytes(out)


def connect(url, **options):
    # No keepalive pings of our own (they would interleave with the scenario); a receive limit above
    # anything the scenarios ask the server to echo.
    return websockets.connect(url, ping_interval=None, max_size=64 << 20, open_timeout=10,
                              close_timeout=10, **options)


async def echo(ws, message, what):
    await ws.send(message)
    expect_equal(what, await ws.recv(), message)


async def close_normally(ws):
    await ws.close(1000, "done")
    expect_equal("close code echoed for our 1000", ws.close_code, 1000)


async def scenario_version(url, limit):
    return f"websockets {VERSION} on Python {sys.version.split()[0]}"


async def scenario_text(url, limit):
    samples = ["Hello, Duplex", "", "ünïcödé ✓ 𝄞 — 日本語"]
    async with connect(url) as ws:
        for s in samples:
            await echo(ws, s, f"echo of text {s!r}")
        await close_normally(ws)
    return f"{len(samples)} text messages echoed, including empty and 4-byte UTF-8"


async def scenario_binary(url, limit):
    samples = [bytes(range(256)), b"", pseudo_random_bytes(70_000)]
    async with connect(url) as ws:
        for b in samples:
            await echo(ws, b, f"echo of {len(b)} binary bytes")
        await close_normally(ws)
    return f"{len(samples)} binary messages echoed (256, 0 and 70000 bytes)"


async def scenario_large(url, limit):
    if limit < 2:
        raise Failure("this scenario needs the server's message size LIMIT (bytes) as third argument")
    mebibyte = pseudo_random_bytes(1 << 20, 7)
    unit = "abc✓"
    unit_bytes = len(unit.encode())
    text = unit * ((limit - 1) // unit_bytes)
    text += "x" * (limit - 1 - len(text.encode()))
    expect_equal("test text size", len(text.encode()), limit - 1)
    async with connect(url) as ws:
        await echo(ws, mebibyte, "echo of 1 MiB binary")
        await echo(ws, text, f"echo of {limit - 1} bytes of text")
        await close_normally(ws)
    return f"1 MiB binary and {limit - 1} bytes of text echoed"


async def scenario_fragmented(url, limit):
    async with connect(url) as ws:
        # websockets sends each item of an iterable as one frame of a single message.
        text_parts = ["frag", "ments: ✓ ", "and 𝄞", " end"]
        await ws.send(text_parts)
        expect_equal("echo of a 4-fragment text", await ws.recv(), "".join(text_parts))

        async def binary_parts():
            for part in (b"\x00", bytes(range(1, 200)), b"", pseudo_random_bytes(5000, 3)):
                yield part

        await ws.send(binary_parts())
        expect_equal("echo of a 4-fragment binary (async iterator)", await ws.recv(),
                     b"\x00" + bytes(range(1, 200)) + pseudo_random_bytes(5000, 3))
        await close_normally(ws)
    return "fragmented text (list) and binary (async iterator) echoed whole"


async def scenario_ping(url, limit):
    async with connect(url) as ws:
        for data in (b"are you there", b""):
            pong_waiter = await ws.ping(data)
            try:
                await asyncio.wait_for(pong_waiter, 5)
            except asyncio.TimeoutError:
                raise Failure(f"no pong within 5 s for a ping with {data!r}") from None
        await echo(ws, "still open", "echo after the pings")
        await close_normally(ws)
    return "pings answered with pongs"


async def scenario_server_ping(url, limit):
    async with connect(url) as ws:
        await ws.send("please ping")
        expect_equal("server's report of our automatic pong", await ws.recv(), "pong received: duplex")
        await close_normally(ws)
    return "the server's ping was answered by websockets and the server saw the pong"


async def scenario_close_by_client(url, limit):
    async with connect(url) as ws:
        await echo(ws, "before close", "echo before closing")
        await ws.close(4000, "client bye")
        expect_equal("close code echoed by the server", ws.close_code, 4000)
        return f"server echoed close {ws.close_code} (reason {ws.close_reason!r})"


async def scenario_close_by_server(url, limit):
    async with connect(url) as ws:
        await ws.send("please close")
        try:
            message = await ws.recv()
            raise Failure(f"expected the server to close, got message {message!r}")
        except websockets.ConnectionClosed as closed:
            if closed.rcvd is None:
                raise Failure(f"connection closed without a close frame from the server: {closed}") from None
            expect_equal("close code sent by the server", closed.rcvd.code, 4001)
            expect_equal("close reason sent by the server", closed.rcvd.reason, "closing as asked")
            return f"server closed with {closed.rcvd.code} {closed.rcvd.reason!r}"


async def scenario_subprotocol(url, limit):
    async with connect(url, subprotocols=["chat.v1", "duplex.v1", "duplex.v2"]) as ws:
        expect_equal("subprotocol chosen by the server", ws.subprotocol, "duplex.v2")
        expect_equal("server's greeting", await ws.recv(), "subprotocol=duplex.v2")
        await close_normally(ws)
    return "subprotocol duplex.v2 negotiated"


SCENARIOS = {name[len("scenario_"):].replace("_", "-"): fn
             for name, fn in dict(globals()).items() if name.startswith("scenario_")}


async def run(scenario, url, limit):
    try:
        return await asyncio.wait_for(SCENARIOS[scenario](url, limit), SCENARIO_TIMEOUT_S)
    except asyncio.TimeoutError:
        raise Failure(f"no result within {SCENARIO_TIMEOUT_S} s") from None
    except websockets.InvalidStatusCode as e:
        raise Failure(f"opening {url}: unexpected HTTP response {e.status_code}") from None
    except websockets.ConnectionClosed as e:
        raise Failure(f"connection closed unexpectedly: {e}") from None
    except OSError as e:
        raise Failure(f"opening {url} failed: {e}") from None


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in SCENARIOS:
        print(f"usage: websockets_client.py URL SCENARIO [LIMIT]; scenarios: {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    url, scenario = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    try:
        summary = asyncio.run(run(scenario, url, limit))
    except Failure as e:
        print(f"websockets {VERSION} {scenario} against {url}: FAILED: {e}", file=sys.stderr)
        return 1
    print(f"websockets {VERSION} {scenario}: ok: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
