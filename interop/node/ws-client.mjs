// A real WebSocket client (the npm package `ws`) that plays one interop scenario against a server.
//
//   node ws-client.mjs URL SCENARIO [LIMIT]
//
// Exits 0 and prints one "ok" line when the server behaved as the scenario expects; exits 1 with a
// message saying what was expected and what was seen otherwise, or 2 on bad usage. LIMIT is the
// server's message size limit in bytes, needed by `large` and `oversize`.
//
// The server under test is expected to echo every text and binary message on URL's path, to answer
// the text "please close" with a close frame 4001 "closing as asked", to answer "please ping" with a
// ping "duplex" and then the text "pong received: duplex" once the pong arrives, and (scenario
// `subprotocol`) to choose "duplex.v2" from the offered subprotocols and greet with
// "subprotocol=duplex.v2", or (scenario `rejected`) to refuse the upgrade with 403.
import { createRequire } from 'node:module';
import WebSocket from 'ws';

const SCENARIO_TIMEOUT_MS = 15_000;
const wsVersion = createRequire(import.meta.url)('ws/package.json').version;

class Failure extends Error {}

function fail(message) {
  throw new Failure(message);
}

function expectEqual(what, actual, expected) {
  if (actual !== expected) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function expectSameBytes(what, actual, expected) {
  if (!Buffer.isBuffer(actual) || !actual.equals(expected)) {
    const length = Buffer.isBuffer(actual) ? actual.length : typeof actual;
    let at = -1;
    if (Buffer.isBuffer(actual)) {
      at = [...Array(Math.min(actual.length, expected.length)).keys()].find((i) => actual[i] !== expected[i]) ?? -1;
    }
    fail(`${what}: expected ${expected.length} bytes, got ${length}` + (at >= 0 ? `, first difference at byte ${at}` : ''));
  }
}

/** Bytes 0, 1, ... from a fixed linear congruential sequence, so failures are reproducible. */
function pseudoRandomBytes(length, seed = 1) {
  const bytes = Buffer.alloc(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/**
 * An open connection whose messages, pongs and close are queued as they arrive, so that a scenario
 * can await them one at a time without missing any.
 */
class Peer {
  constructor(ws) {
    this.ws = ws;
    this.messages = [];
    this.pongs = [];
    this.waiters = [];
    this.closed = null;
    ws.on('message', (data, isBinary) => this.push(this.messages, { data, isBinary }));
    ws.on('pong', (data) => this.push(this.pongs, data));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8') };
      this.wake();
    });
    ws.on('error', (error) => {
      this.error = error;
      this.wake();
    });
  }

  push(queue, item) {
    queue.push(item);
    this.wake();
  }

  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  async take(queue, what) {
    while (queue.length === 0) {
      if (this.closed) {
        fail(`connection closed (code ${this.closed.code}, reason ${JSON.stringify(this.closed.reason)}) while waiting for ${what}`);
      }
      await new Promise((resolve) => this.waiters.push(resolve));
    }
    return queue.shift();
  }

  nextMessage() {
    return this.take(this.messages, 'a message');
  }

  nextPong() {
    return this.take(this.pongs, 'a pong');
  }

  async expectText(expected, what = 'text echo') {
    const { data, isBinary } = await this.nextMessage();
    expectEqual(`${what}: binary?`, isBinary, false);
    expectEqual(what, data.toString('utf8'), expected);
  }

  async expectBinary(expected, what = 'binary echo') {
    const { data, isBinary } = await this.nextMessage();
    expectEqual(`${what}: binary?`, isBinary, true);
    expectSameBytes(what, data, expected);
  }

  async closeEvent() {
    while (!this.closed) {
      await new Promise((resolve) => this.waiters.push(resolve));
    }
    return this.closed;
  }

  send(data, options = {}) {
    return new Promise((resolve, reject) => this.ws.send(data, options, (e) => (e ? reject(e) : resolve())));
  }
}

function connect(url, protocols = undefined) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => resolve(new Peer(ws)));
    ws.once('error', (e) => reject(new Failure(`opening ${url} failed: ${e.message}`)));
    ws.once('unexpected-response', (req, res) =>
      reject(new Failure(`opening ${url}: unexpected HTTP response ${res.statusCode} ${res.statusMessage}`)));
  });
}

async function closeNormally(peer) {
  peer.ws.close(1000, 'done');
  const { code } = await peer.closeEvent();
  expectEqual('close code echoed for our 1000', code, 1000);
}

function requireLimit(limit) {
  if (!Number.isInteger(limit) || limit < 2) {
    fail('this scenario needs the server\'s message size LIMIT (bytes) as third argument');
  }
  return limit;
}

const scenarios = {
  async version() {
    return `ws ${wsVersion} on node ${process.versions.node}`;
  },

  async text(url) {
    const peer = await connect(url);
    const samples = ['Hello, Duplex', '', 'ünïcödé ✓ 𝄞 — 日本語', '{"json":[1,2,3]}'];
    for (const s of samples) {
      await peer.send(s);
      await peer.expectText(s, `echo of text ${JSON.stringify(s)}`);
    }
    await closeNormally(peer);
    return `${samples.length} text messages echoed, including empty and 4-byte UTF-8`;
  },

  async binary(url) {
    const peer = await connect(url);
    const samples = [Buffer.from([...Array(256).keys()]), Buffer.alloc(0), pseudoRandomBytes(70_000)];
    for (const b of samples) {
      await peer.send(b);
      await peer.expectBinary(b, `echo of ${b.length} binary bytes`);
    }
    await closeNormally(peer);
    return `${samples.length} binary messages echoed (256, 0 and 70000 bytes)`;
  },

  async large(url, limit) {
    requireLimit(limit);
    const peer = await connect(url);
    const mebibyte = pseudoRandomBytes(1 << 20, 7);
    await peer.send(mebibyte);
    await peer.expectBinary(mebibyte, 'echo of 1 MiB binary');
    // Text of exactly limit - 1 bytes of UTF-8, with multi-byte characters along the way.
    const unit = 'abc✓';
    const unitBytes = Buffer.byteLength(unit);
    let text = unit.repeat(Math.floor((limit - 1) / unitBytes));
    text += 'x'.repeat(limit - 1 - Buffer.byteLength(text));
    expectEqual('test text size', Buffer.byteLength(text), limit - 1);
    await peer.send(text);
    await peer.expectText(text, `echo of ${limit - 1} bytes of text`);
    const atLimit = pseudoRandomBytes(limit, 9);
    await peer.send(atLimit);
    await peer.expectBinary(atLimit, `echo of ${limit} binary bytes (exactly the limit)`);
    await closeNormally(peer);
    return `1 MiB binary, ${limit - 1} bytes text and ${limit} bytes binary echoed`;
  },

  async many(url) {
    const peer = await connect(url);
    const count = 1000;
    // Sent back to back without waiting, alternating text and binary; echoes must keep the order.
    const sends = [];
    for (let i = 0; i < count; i++) {
      sends.push(i % 2 === 0 ? peer.send(`message ${i}`) : peer.send(Buffer.from(`binary ${i}`)));
    }
    await Promise.all(sends);
    for (let i = 0; i < count; i++) {
      if (i % 2 === 0) {
        await peer.expectText(`message ${i}`, `echo #${i}`);
      } else {
        await peer.expectBinary(Buffer.from(`binary ${i}`), `echo #${i}`);
      }
    }
    await closeNormally(peer);
    return `${count} messages echoed in order`;
  },

  async fragmented(url) {
    const peer = await connect(url);
    // Text in three fragments, the first cut inside the 3-byte '✓', with a ping between fragments
    // (RFC 6455 5.4: control frames may be injected in the middle of a fragmented message).
    const text = Buffer.from('fragments: ✓ and 𝄞 end', 'utf8');
    const cut1 = text.indexOf(Buffer.from('✓')) + 1;
    const cut2 = text.indexOf(Buffer.from('𝄞')) + 2;
    await peer.send(text.subarray(0, cut1), { binary: false, fin: false });
    peer.ws.ping(Buffer.from('mid-message'));
    await peer.send(text.subarray(cut1, cut2), { binary: false, fin: false });
    await peer.send(text.subarray(cut2), { binary: false, fin: true });
    expectEqual('pong for the ping between fragments', (await peer.nextPong()).toString(), 'mid-message');
    await peer.expectText(text.toString('utf8'), 'echo of a 3-fragment text');
    // Binary in four fragments, one of them empty.
    const bytes = pseudoRandomBytes(10_000, 3);
    const parts = [bytes.subarray(0, 1), bytes.subarray(1, 5000), Buffer.alloc(0), bytes.subarray(5000)];
    for (let i = 0; i < parts.length; i++) {
      await peer.send(parts[i], { binary: true, fin: i === parts.length - 1 });
    }
    await peer.expectBinary(bytes, 'echo of a 4-fragment binary');
    await closeNormally(peer);
    return 'fragmented text (split inside characters, ping between fragments) and binary echoed whole';
  },

  async ping(url) {
    const peer = await connect(url);
    peer.ws.ping(Buffer.from('are you there'));
    expectEqual('pong application data', (await peer.nextPong()).toString(), 'are you there');
    peer.ws.ping();
    expectEqual('pong to an empty ping', (await peer.nextPong()).length, 0);
    await closeNormally(peer);
    return 'pongs carry the pings\' application data';
  },

  async 'server-ping'(url) {
    const peer = await connect(url);
    await peer.send('please ping');
    // ws answers the server's ping with a pong by itself; the server reports that it arrived.
    await peer.expectText('pong received: duplex', 'server\'s report of our automatic pong');
    await closeNormally(peer);
    return 'the server\'s ping was answered by ws and the server saw the pong';
  },

  async 'close-by-client'(url) {
    const peer = await connect(url);
    await peer.send('before close');
    await peer.expectText('before close');
    peer.ws.close(4000, 'client bye');
    const { code, reason } = await peer.closeEvent();
    expectEqual('close code echoed by the server', code, 4000);
    return `server echoed close ${code} (reason ${JSON.stringify(reason)})`;
  },

  async 'close-by-server'(url) {
    const peer = await connect(url);
    await peer.send('please close');
    const { code, reason } = await peer.closeEvent();
    expectEqual('close code sent by the server', code, 4001);
    expectEqual('close reason sent by the server', reason, 'closing as asked');
    return `server closed with ${code} ${JSON.stringify(reason)}`;
  },

  async subprotocol(url) {
    const peer = await connect(url, ['chat.v1', 'duplex.v1', 'duplex.v2']);
    expectEqual('subprotocol chosen by the server', peer.ws.protocol, 'duplex.v2');
    await peer.expectText('subprotocol=duplex.v2', 'server\'s greeting naming its socket\'s subprotocol');
    await closeNormally(peer);
    return `subprotocol ${peer.ws.protocol} negotiated`;
  },

  async rejected(url) {
    const response = await new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => reject(new Failure('the upgrade was accepted; expected a 403 rejection')));
      ws.once('unexpected-response', (req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode, body });
          req.destroy();
        });
      });
      ws.once('error', (e) => {
        if (!(e.message || '').includes('socket hang up')) reject(new Failure(`unexpected error: ${e.message}`));
      });
    });
    expectEqual('HTTP status of the rejected upgrade', response.status, 403);
    expectEqual('body of the rejected upgrade', response.body, 'no entry');
    return `upgrade refused with ${response.status} ${JSON.stringify(response.body)}`;
  },

  async oversize(url, limit) {
    requireLimit(limit);
    const peer = await connect(url);
    peer.ws.send(pseudoRandomBytes(limit + 1, 5));
    const { code } = await peer.closeEvent();
    expectEqual(`close code after a ${limit + 1}-byte message (limit ${limit})`, code, 1009);
    return `server closed with ${code} for a message one byte over its limit`;
  },

  async 'invalid-utf8'(url) {
    const peer = await connect(url);
    // ws sends a Buffer as a text frame without checking it: this one holds a UTF-16 surrogate
    // (ED A0 80), which is not UTF-8 (RFC 3629).
    const bytes = Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xed, 0xa0, 0x80, 0x65, 0x64]);
    peer.ws.send(bytes, { binary: false });
    const { code } = await peer.closeEvent();
    expectEqual('close code after invalid UTF-8 in a text message', code, 1007);
    return `server closed with ${code} for invalid UTF-8`;
  }
};

async function main() {
  const [url, scenario, limitArg] = process.argv.slice(2);
  if (!url || !scenarios[scenario]) {
    console.error(`usage: node ws-client.mjs URL SCENARIO [LIMIT]; scenarios: ${Object.keys(scenarios).join(', ')}`);
    process.exit(2);
  }
  const timeout = new Promise((_, reject) => {
    const t = setTimeout(() => reject(new Failure(`no result within ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS);
    t.unref();
  });
  try {
    const summary = await Promise.race([scenarios[scenario](url, Number(limitArg)), timeout]);
    console.log(`ws ${wsVersion} ${scenario}: ok: ${summary}`);
    process.exit(0);
  } catch (e) {
    console.error(`ws ${wsVersion} ${scenario} against ${url}: FAILED: ${e instanceof Failure ? e.message : e.stack}`);
    process.exit(1);
  }
}

main();
