// Time to interactive of the web client: how long after navigation starts the home screen's
// "Create room" button is in the page (the wasm app has booted, rendered and attached its
// handlers). Not a test: it prints figures, and is left out of the Playwright run.
//
//   node playwright/perf/tti.mjs [--runs 5]
//
// Starts `casino-server` itself on a free port with a temporary database, serving the built
// client (CASINO_SERVER_BIN, default target/release/casino-server else target/debug/…;
// CASINO_STATIC_DIR, default client/dist), or measures a running one with --url URL. Each run is a
// cold load in a fresh browser context (empty cache), followed by a reload in the same context
// (warm cache), on three profiles: loopback, and a mid-range phone on 4G and on slow 4G emulated
// through the Chrome DevTools Protocol (9 Mbit/s down, 1.5 Mbit/s up, 170 ms round trip; 1.6
// Mbit/s down, 750 kbit/s up, 150 ms round trip; the CPU 4x slower on both).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CASINO_CHROMIUM ?? '/usr/bin/chromium';

const PROFILES = [
  { name: 'loopback', network: null, cpu: 1 },
  {
    name: 'phone on 4G (9 Mbit/s, 170 ms RTT, CPU 4x)',
    network: {
      offline: false,
      latency: 170,
      downloadThroughput: 9_000_000 / 8,
      uploadThroughput: 1_500_000 / 8,
    },
    cpu: 4,
  },
  {
    // Lighthouse's mobile profile, the slow end of 4G.
    name: 'phone on slow 4G (1.6 Mbit/s, 150 ms RTT, CPU 4x)',
    network: {
      offline: false,
      latency: 150,
      downloadThroughput: 1_600_000 / 8,
      uploadThroughput: 750_000 / 8,
    },
    cpu: 4,
  },
];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const candidates = process.env.CASINO_SERVER_BIN
    ? [path.resolve(process.env.CASINO_SERVER_BIN)]
    : ['release', 'debug'].map((p) => path.join(ROOT, 'target', p, 'casino-server'));
  const bin = candidates.find((c) => fs.existsSync(c));
  if (!bin) throw new Error(`no casino-server at ${candidates.join(', ')}`);
  const staticDir = path.resolve(process.env.CASINO_STATIC_DIR ?? path.join(ROOT, 'client', 'dist'));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-tti-'));
  const bind = `127.0.0.1:${await freePort()}`;
  const child = spawn(bin, ['--bind', bind, '--static-dir', staticDir], {
    cwd: workDir,
    env: { ...process.env, DATABASE_URL: `sqlite://${workDir}/casino.db?mode=rwc`, RUST_LOG: 'warn' },
    stdio: 'ignore',
  });
  const url = `http://${bind}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${bin} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

// Runs in the page before its own scripts: notes when #create-room first appears.
function markInteractive() {
  new MutationObserver((_, observer) => {
    if (document.getElementById('create-room')) {
      window.__casinoTti = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

async function timeToInteractive(page, load) {
  await load();
  await page.waitForFunction(() => window.__casinoTti !== undefined, null, { timeout: 120_000 });
  return page.evaluate(() => window.__casinoTti);
}

async function measure(browser, url, profile) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(markInteractive);
    const cdp = await context.newCDPSession(page);
    if (profile.network) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', profile.network);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    let transferred = 0;
    page.on('requestfinished', async (request) => {
      const sizes = await request.sizes().catch(() => null);
      if (sizes) transferred += sizes.responseBodySize + sizes.responseHeadersSize;
    });
    const cold = await timeToInteractive(page, () => page.goto(url));
    const coldBytes = transferred;
    transferred = 0;
    const warm = await timeToInteractive(page, () => page.reload());
    return { cold, warm, coldBytes, warmBytes: transferred };
  } finally {
    await context.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;

const runs = Number(option('runs', '5'));
const given = option('url', null);
const server = given ? { url: given, stop: () => {} } : await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic'],
});
try {
  console.log(`time to interactive of ${server.url}/ (median of ${runs} runs, min–max)`);
  for (const profile of PROFILES) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await measure(browser, `${server.url}/`, profile));
    const cold = results.map((r) => r.cold);
    const warm = results.map((r) => r.warm);
    console.log(
      `${profile.name}: cold ${ms(median(cold))} (${ms(Math.min(...cold))}–${ms(Math.max(...cold))}, ` +
        `${Math.round(results[0].coldBytes / 1024)} KiB transferred); ` +
        `warm reload ${ms(median(warm))} (${Math.round(results[0].warmBytes / 1024)} KiB)`,
    );
  }
} finally {
  await browser.close();
  server.stop();
}
