// Drives Debian's Chromium, headless, through playwright-core, for one interop scenario.
//
//   node browser.mjs URL SCENARIO
//
// Scenarios:
//   version  prints the versions of playwright-core and of the browser it launched.
//   demo     URL is an http:// page (the `duplex serve` demo); waits for its #status to read
//            "round trip ok" and the title to be "Duplex demo: round trip ok".
//   echo     URL is a ws:// echo endpoint; in a blank page, `new WebSocket(URL)` sends a text and a
//            binary (ArrayBuffer) message, checks the echoes, then closes with 4000 "browser bye" and
//            checks the CloseEvent (code 4000, wasClean).
//
// Exits 0 with one "ok" line, 1 with what was expected and seen, 2 on bad usage, 3 when Chromium or
// playwright-core is missing. Playwright never downloads a browser here: it launches /usr/bin/chromium
// (override with DUPLEX_CHROMIUM) with the flags a closed-network machine needs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.DUPLEX_CHROMIUM || '/usr/bin/chromium';
const STATUS_TIMEOUT_MS = 20_000;
const SCENARIO_TIMEOUT_MS = 40_000;

class Failure extends Error {}

function fail(message) {
  throw new Failure(message);
}

let playwright;
let playwrightVersion;
try {
  playwright = require('playwright-core');
  playwrightVersion = require('playwright-core/package.json').version;
} catch (e) {
  console.error(`playwright-core is not installed next to ${import.meta.url}: run npm ci --prefix interop/node (bash .ci/run does): ${e.message}`);
  process.exit(3);
}
if (!existsSync(CHROMIUM)) {
  console.error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (bash .ci/run installs it)`);
  process.exit(3);
}

async function withBrowser(body) {
  // Playwright's launch gives the browser a fresh temporary profile and removes it afterwards.
  // Without the background-networking flags Chromium tries to reach Google's services, which a
  // closed network refuses.
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 20_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  try {
    return await body(browser);
  } finally {
    await browser.close().catch(() => {});
  }
}

/** Collects what the page says, so a failure can show it. */
function watch(page) {
  const log = [];
  page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => log.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('websocket', (ws) => {
    log.push(`websocket opened: ${ws.url()}`);
    ws.on('close', () => log.push(`websocket closed: ${ws.url()}`));
    ws.on('socketerror', (e) => log.push(`websocket error: ${e}`));
  });
  return log;
}

const scenarios = {
  async version() {
    return withBrowser(async (browser) => `playwright-core ${playwrightVersion}, Chromium ${browser.version()} at ${CHROMIUM}`);
  },

  async demo(url) {
    return withBrowser(async (browser) => {
      const page = await browser.newPage();
      const log = watch(page);
      const response = await page.goto(url, { timeout: 10_000 })
        .catch((e) => fail(`GET ${url} failed: ${e.message.split('\n')[0]}`));
      if (!response || response.status() !== 200) {
        fail(`GET ${url} answered ${response?.status()}, expected 200`);
      }
      try {
        await page.waitForFunction(
          () => document.querySelector('#status')?.textContent?.trim() === 'round trip ok',
          null, { timeout: STATUS_TIMEOUT_MS });
      } catch (e) {
        const status = await page.evaluate(() => document.querySelector('#status')?.textContent ?? '(no #status element)');
        fail(`#status did not read "round trip ok" within ${STATUS_TIMEOUT_MS} ms; it reads ${JSON.stringify(status)}; `
          + `title ${JSON.stringify(await page.title())}; page log:\n  ${log.join('\n  ') || '(empty)'}`);
      }
      const title = await page.title();
      if (title !== 'Duplex demo: round trip ok') {
        fail(`title: expected "Duplex demo: round trip ok", got ${JSON.stringify(title)}`);
      }
      return `demo page at ${url} reports "round trip ok"`;
    });
  },

  async echo(url) {
    return withBrowser(async (browser) => {
      const page = await browser.newPage();
      const log = watch(page);
      // Runs inside the page: only the web platform's WebSocket API, as an application would use it.
      const result = await page.evaluate(async (url) => {
        const ws = new WebSocket(url);
        ws.binaryType = 'arraybuffer';
        const messages = [];
        let wake = () => {};
        ws.onmessage = (e) => { messages.push(e.data); wake(); };
        const closed = new Promise((resolve) => {
          ws.onclose = (e) => { resolve({ code: e.code, reason: e.reason, wasClean: e.wasClean }); wake(); };
        });
        const opened = new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = () => reject(new Error(`WebSocket error event while opening ${url}`));
        });
        const next = async () => {
          while (messages.length === 0) {
            if (ws.readyState === WebSocket.CLOSED) throw new Error('closed while waiting for a message');
            await new Promise((resolve) => { wake = resolve; });
          }
          return messages.shift();
        };
        await opened;
        const text = 'Hello from Chromium ✓ 𝄞';
        ws.send(text);
        const textEcho = await next();
        const bytes = new Uint8Array(256).map((_, i) => i);
        ws.send(bytes.buffer);
        const binaryEcho = await next();
        const binaryOk = binaryEcho instanceof ArrayBuffer && binaryEcho.byteLength === 256
          && new Uint8Array(binaryEcho).every((b, i) => b === i);
        ws.close(4000, 'browser bye');
        const close = await closed;
        return {
          protocol: ws.protocol,
          textEcho,
          textOk: textEcho === text,
          binaryOk,
          binaryEcho: binaryEcho instanceof ArrayBuffer ? `ArrayBuffer(${binaryEcho.byteLength})` : typeof binaryEcho,
          close
        };
      }, url).catch((e) => fail(`in the page: ${e.message}; page log:\n  ${log.join('\n  ') || '(empty)'}`));
      const problems = [];
      if (!result.textOk) problems.push(`text echo: got ${JSON.stringify(result.textEcho)}`);
      if (!result.binaryOk) problems.push(`binary echo: expected the 256 bytes 0..255 back, got ${result.binaryEcho}`);
      if (result.close.code !== 4000) problems.push(`CloseEvent.code: expected 4000, got ${result.close.code}`);
      if (!result.close.wasClean) problems.push('CloseEvent.wasClean: expected true, got false');
      if (problems.length > 0) fail(problems.join('; '));
      return `text and ArrayBuffer echoed; CloseEvent code ${result.close.code}, reason ${JSON.stringify(result.close.reason)}, wasClean ${result.close.wasClean}`;
    });
  }
};

async function main() {
  const [url, scenario] = process.argv.slice(2);
  if (!scenarios[scenario] || (scenario !== 'version' && !url)) {
    console.error(`usage: node browser.mjs URL SCENARIO; scenarios: ${Object.keys(scenarios).join(', ')}`);
    process.exit(2);
  }
  const timeout = new Promise((_, reject) => {
    setTimeout(() => reject(new Failure(`no result within ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS).unref();
  });
  try {
    const summary = await Promise.race([scenarios[scenario](url), timeout]);
    console.log(`playwright-core ${playwrightVersion} chromium ${scenario}: ok: ${summary}`);
    process.exit(0);
  } catch (e) {
    console.error(`playwright-core ${playwrightVersion} chromium ${scenario} against ${url}: FAILED: ${e instanceof Failure ? e.message : e.stack}`);
    process.exit(1);
  }
}

main();
