// Starts the real `casino-server` binary on a free loopback port with a temporary database and
// the built client: once for the whole run (global-setup.ts), and again by specs that need their
// own settings (shrunken durations).
//
// Environment knobs:
//   CASINO_SERVER_BIN  the binary (default: target/debug/casino-server, else target/release/…)
//   CASINO_STATIC_DIR  the built client (default: client/dist)
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

export function serverBinary(): string {
  const candidates = process.env.CASINO_SERVER_BIN
    ? [path.resolve(process.env.CASINO_SERVER_BIN)]
    : ['debug', 'release'].map((p) => path.join(ROOT, 'target', p, 'casino-server'));
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    throw new Error(
      `casino-server binary not found (looked at ${candidates.join(', ')}); ` +
        'build it with `cargo build -p server --bin casino-server` or run scripts/test.sh',
    );
  }
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitHealthy(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `casino-server exited early (${child.exitCode ?? child.signalCode}); its log:\n` +
          fs.readFileSync(logFile, 'utf8'),
      );
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`casino-server did not answer ${url} within 30 s; its log:\n${fs.readFileSync(logFile, 'utf8')}`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}


/// A running casino-server started for the tests.
export interface RunningServer {
  baseUrl: string;
  databaseUrl: string;
  /// Stops the server; keeps its log as `test-results/<logName>` when given.
  stop: (logName?: string) => Promise<void>;
}

/// Where a server runs: a restarted server takes the same port and folder (its database).
export interface ServerPlace {
  port: number;
  workDir: string;
}

/// Starts `casino-server` on a free port with a fresh SQLite database in a temporary folder and
/// the built client; `env` adds settings (e.g. shrunken durations: CASINO_ABANDON_AFTER_MS=…).
/// With `place`, it starts on that port with that folder's database (a restart), and `stop`
/// keeps the folder for the next start (the caller removes it).
export async function startServer(env: Record<string, string> = {}, place?: ServerPlace): Promise<RunningServer> {
  const bin = serverBinary();
  const staticDir = path.resolve(process.env.CASINO_STATIC_DIR ?? path.join(ROOT, 'client', 'dist'));
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`no built client in ${staticDir}; build it with scripts/run.sh or scripts/test.sh`);
  }
  const workDir = place?.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'casino-playwright-'));
  const databaseUrl = `sqlite://${path.join(workDir, 'casino.db')}?mode=rwc`;
  const logFile = path.join(workDir, 'casino-server.log');
  const log = fs.openSync(logFile, 'a');
  const port = place?.port ?? (await freePort());
  const bind = `127.0.0.1:${port}`;

  // The working directory is the temporary one, so nothing the server writes lands in the repo.
  const child = spawn(bin, ['--bind', bind, '--static-dir', staticDir], {
    cwd: workDir,
    env: {
      ...process.env,
      // No load balancer to warn before SIGTERM's drain: stop at once.
      CASINO_DRAIN_NOTICE_MS: '0',
      // Specs look at the break between hands while it lasts: on a slow machine it must not end
      // by itself first (the spec of its end starts a server with a short break).
      CASINO_HAND_BREAK_MS: '120000',
      ...env,
      CASINO_BIND: bind,
      DATABASE_URL: databaseUrl,
      RUST_LOG: process.env.RUST_LOG ?? 'info',
    },
    stdio: ['ignore', log, log],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const baseUrl = `http://${bind}`;
  try {
    await waitHealthy(`${baseUrl}/healthz`, child, logFile);
  } catch (e) {
    await stop(child);
    throw e;
  }
  console.log(`casino-server ${bin} on ${baseUrl} (database ${databaseUrl})`);
  return {
    baseUrl,
    databaseUrl,
    stop: async (logName?: string) => {
      await stop(child);
      process.removeListener('exit', killOnExit);
      fs.closeSync(log);
      if (logName) {
        // Keep the server's log beside the traces and screenshots.
        const kept = path.join(__dirname, 'test-results', logName);
        fs.mkdirSync(path.dirname(kept), { recursive: true });
        fs.copyFileSync(logFile, kept);
      }
      if (!place) fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/// Starts a server of a spec's own with `env` before its tests and stops it after them (keeping
/// its log as `test-results/<logName>`); the returned function gives the running server.
export function serverForSpec(
  hooks: { beforeAll: (fn: () => Promise<void>) => void; afterAll: (fn: () => Promise<void>) => void },
  env: Record<string, string>,
  logName: string,
): () => RunningServer {
  let server: RunningServer | undefined;
  hooks.beforeAll(async () => {
    server = await startServer(env);
  });
  hooks.afterAll(async () => {
    await server?.stop(logName);
  });
  return () => {
    if (!server) throw new Error('the spec server has not started');
    return server;
  };
}
