// A real WebSocket server (the npm package `ws`) that the Duplex client's interop tests talk to.
//
//   node ws-echo-server.mjs
//
// Listens on 127.0.0.1 and a free port and prints one line, "listening PORT ws VERSION on Node.js
// VERSION", then serves until its standard input closes. The behaviour, on any path (the same for the
// Python and Go servers beside it; docs/interop.md):
//   - subprotocols: picks the first of "duplex.v2", "duplex.v1" (the server's preference) that the client
//     offers, none otherwise;
//   - echoes every text and binary message as it came;
//   - "please close": closes with 4001 "closing as asked";
//   - "please fragment text" / "please fragment binary": sends FRAGMENTED_TEXT / FRAGMENTED_BINARY as one
//     message in several fragments (cut at byte offsets, for text inside characters);
//   - when a connection ends, prints "closed PATH CODE REASON" with the close code the server received
//     (1005 for none, 1006 when the connection dropped).
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';

const wsVersion = createRequire(import.meta.url)('ws/package.json').version;
const SUBPROTOCOLS = ['duplex.v2', 'duplex.v1'];
const FRAGMENTED_TEXT = Buffer.from('fragment \u{1D11E} \u00FC '.repeat(300), 'utf8');
const FRAGMENTED_BINARY = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));
// Byte offsets inside characters of FRAGMENTED_TEXT (a 17-byte pattern: U+1D11E at 9-12, U+00FC at 14-15).
const CUTS = [10, 1711, 3415];

function sendInFragments(ws, data, binary) {
  let start = 0;
  for (const cut of [...CUTS, data.length]) {
    ws.send(data.subarray(start, cut), { binary, fin: cut === data.length });
    start = cut;
  }
}

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  maxPayload: 64 * 1024 * 1024,
  perMessageDeflate: false,
  handleProtocols: (offered) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
});

server.on('connection', (ws, request) => {
  const path = request.url;
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? null : data.toString('utf8');
    if (text === 'please close') {
      ws.close(4001, 'closing as asked');
    } else if (text === 'please fragment text') {
      sendInFragments(ws, FRAGMENTED_TEXT, false);
    } else if (text === 'please fragment binary') {
      sendInFragments(ws, FRAGMENTED_BINARY, true);
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
  ws.on('close', (code, reason) => {
    console.log(`closed ${path} ${code} ${reason.toString('utf8')}`);
  });
  ws.on('error', (error) => {
    console.error(`error on ${path}: ${error.message}`);
  });
});

server.on('listening', () => {
  console.log(`listening ${server.address().port} ws ${wsVersion} on Node.js ${process.versions.node}`);
});

process.stdin.resume();
process.stdin.on('end', () => {
  for (const client of server.clients) {
    client.terminate();
  }
  server.close(() => process.exit(0));
});
