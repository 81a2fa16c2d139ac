// The Node.js ws 8 echo server that bin/loadtest compares Duplex with (benchmarks/peers/ws).
//
//   node echo-server.mjs --port P [--host 127.0.0.1] [--path /echo]
//
// Set up as ws's README recommends for speed: no permessage-deflate (off by default in the server, and
// set off here), bufferutil installed beside it (ws then masks and unmasks with its native code; the
// start line says whether it loaded), UTF-8 validation of text by Node's own buffer.isUtf8. ws sets
// TCP_NODELAY on every socket it upgrades. Node runs everything on its one event loop thread. Each
// message is echoed with the type it came with. Connections to another path are refused by ws.
// Prints one line when listening; runs until killed.
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';

const require = createRequire(import.meta.url);

const options = { host: '127.0.0.1', port: -1, path: '/echo' };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const name = args[i];
  const value = args[i + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  if (name === '--host') options.host = value;
  else if (name === '--port') options.port = Number(value);
  else if (name === '--path') options.path = value;
  else throw new Error(`unknown option ${name}; usage: --port P [--host H] [--path /echo]`);
}
if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
  throw new Error(`--port ${options.port} is not in 0..65535`);
}

// bufferutil falls back to JavaScript silently when its native module does not load: say which it is.
let bufferutil = 'missing';
try {
  require('node-gyp-build')(require('path').dirname(require.resolve('bufferutil')));
  bufferutil = 'native';
} catch {
  try {
    require('bufferutil');
    bufferutil = 'javascript fallback';
  } catch {
    // stays 'missing'
  }
}

const wss = new WebSocketServer({
  host: options.host,
  port: options.port,
  path: options.path,
  perMessageDeflate: false,
  maxPayload: 1 << 20, // Duplex's default message limit, 1 MiB
});

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => ws.terminate());
});

wss.on('listening', () => {
  const { address, port } = wss.address();
  const version = require('ws/package.json').version;
  console.log(`ws-echo listening on ${address}:${port} path ${options.path} ws ${version} bufferutil ${bufferutil} node ${process.version}`);
});
