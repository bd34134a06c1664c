// Three `casino-server` nodes behind HAProxy (ops/haproxy/haproxy.cfg) on a scratch PostgreSQL
// database of CASINO_TEST_PG_URL, for the browser test of a node's failure (docs/SCALING.md).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, serverBinary, waitHealthy } from './server';

const ROOT = path.resolve(__dirname, '..');

/// `base` (a PostgreSQL URL) naming database `name` instead.
function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

function psql(url: string, sql: string): string {
  return execFileSync('psql', [url, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' }).trim();
}

export interface RunningCluster {
  /// HAProxy: what the browsers open.
  baseUrl: string;
  /// The scratch database.
  databaseUrl: string;
  /// `kill -9` of node `name` (`node1`…`node3`).
  kill: (name: string) => void;
  /// The node holding room `code`'s lease.
  owner: (code: string) => string;
  stop: () => Promise<void>;
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startCluster(adminUrl: string): Promise<RunningCluster> {
  const name = `casino_pw_${process.pid}_${Date.now()}`;
  psql(adminUrl, `CREATE DATABASE ${name}`);
  const databaseUrl = withDatabase(adminUrl, name);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casino-cluster-'));
  const staticDir = path.resolve(process.env.CASINO_STATIC_DIR ?? path.join(ROOT, 'client', 'dist'));
  const ports = await Promise.all([0, 1, 2, 3, 4, 5].map(() => freePort()));
  const [lb, stats, ...nodePorts] = ports;
  const nodes = new Map<string, ChildProcess>();
  const children: ChildProcess[] = [];
  const log = fs.openSync(path.join(workDir, 'cluster.log'), 'a');
  for (let i = 0; i < 3; i++) {
    const bind = `127.0.0.1:${nodePorts[i]}`;
    const child = spawn(serverBinary(), ['--static-dir', staticDir], {
      cwd: workDir,
      env: {
        ...process.env,
        CASINO_BIND: bind,
        CASINO_NODE_ID: `node${i + 1}`,
        DATABASE_URL: databaseUrl,
        CASINO_TRUSTED_PROXIES: '127.0.0.1',
        RUST_LOG: 'warn',
      },
      stdio: ['ignore', log, log],
    });
    nodes.set(`node${i + 1}`, child);
    children.push(child);
    await waitHealthy(`http://${bind}/healthz`, child, path.join(workDir, 'cluster.log'));
  }
  const haproxy = spawn('haproxy', ['-db', '-f', path.join(ROOT, 'ops', 'haproxy', 'haproxy.cfg')], {
    env: {
      ...process.env,
      PATH: `${process.env.PATH}:/usr/sbin`,
      CASINO_LB_BIND: `127.0.0.1:${lb}`,
      CASINO_LB_STATS: `127.0.0.1:${stats}`,
      CASINO_NODE1: `127.0.0.1:${nodePorts[0]}`,
      CASINO_NODE2: `127.0.0.1:${nodePorts[1]}`,
      CASINO_NODE3: `127.0.0.1:${nodePorts[2]}`,
      CASINO_NODE4: `127.0.0.1:${nodePorts[3]}`,
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  children.push(haproxy);
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  // Until HAProxy has every node up (its checks need two passes, 1 s).
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const csv = await (await fetch(`http://127.0.0.1:${stats}/;csv`)).text();
      const up = csv.split('\n').filter((l) => l.startsWith('by_room,node') && l.split(',')[17]?.startsWith('UP'));
      if (up.length === 3) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('HAProxy did not see three nodes up');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl: `http://127.0.0.1:${lb}`,
    databaseUrl,
    kill: (node: string) => {
      nodes.get(node)?.kill('SIGKILL');
    },
    owner: (code: string) => psql(databaseUrl, `SELECT node FROM room_leases WHERE room_code = '${code}'`),
    stop: async () => {
      await Promise.all(children.map(stopped));
      process.removeListener('exit', killAll);
      fs.closeSync(log);
      fs.rmSync(workDir, { recursive: true, force: true });
      psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
