// A page that never gives up while its seat can be saved (SPEC R1 and beyond): no attempt runs,
// and none is counted, while the browser is offline; the network coming back reconnects at once;
// after the five quick attempts, slow ones go on by themselves, so a server that was down for
// 25 s gets both players back without a click. Meanwhile every indicator says what it knows:
// offline or disconnected, the seat kept for m:ss, the opponent unknown.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { oneHasTheTurn, playTurn, myTurn, seatTwo, twoPlayers } from './helpers';
import { freePort, startServer, type RunningServer } from '../server';

/// The seconds the banner says the seat is still kept ("Your seat is kept for 9:52.").
async function keptFor(page: Page): Promise<number> {
  const text = await page.locator('#link-banner').innerText();
  const found = /Your seat is kept for (\d+):(\d\d)\./.exec(text);
  if (!found) throw new Error(`no seat time in "${text}"`);
  return Number(found[1]) * 60 + Number(found[2]);
}

test('offline for 30 s, then online: back at the table without a click', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const { a, b, errors, close } = await twoPlayers(browser, baseURL!);
  // Every socket Alice's page opens goes through here, so the attempts can be counted.
  let attempts = 0;
  await a.routeWebSocket(/\/ws/, (ws) => {
    attempts++;
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(m));
  });
  await seatTwo(a, b);
  const status = a.locator('#connection-status');
  const banner = a.locator('#link-banner');

  await a.context().setOffline(true);
  const before = attempts;
  await expect(status).toHaveAttribute('data-state', 'offline');
  await expect(status).toHaveText('Offline: waiting for the network');
  await expect(banner).toHaveAttribute('data-state', 'offline');
  await expect(banner).toContainText(/Your seat is kept for \d+:\d\d\./);
  const keptAtFirst = await keptFor(a);
  // What the page last heard of Bob may be stale: it claims nothing.
  await expect(a.locator('#opponent-status')).toHaveAttribute('data-state', 'unknown');
  await expect(a.locator('#opponent-status')).not.toContainText('connected');
  await expect(b.locator('#opponent-status')).not.toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
  await expect(a.locator('.room')).not.toContainText('Recovering game state');

  // Thirty seconds without a network: the seat's countdown runs, no attempt is made or counted.
  await expect.poll(() => keptFor(a), { timeout: 45_000 }).toBeLessThanOrEqual(keptAtFirst - 30);
  expect(attempts - before).toBe(0);
  await expect(status).toHaveAttribute('data-state', 'offline');

  // The network is back: the page reconnects at once, by itself.
  await a.context().setOffline(false);
  await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
  await expect(banner).toHaveCount(0);
  await expect(a.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await expect(a.locator('#opponent-status')).toHaveAttribute('data-state', 'connected');
  await expect(b.locator('#opponent-status')).toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
  expect(attempts - before).toBe(1);
  await oneHasTheTurn(a, b);
  expect(errors).toEqual([]);
  await close();
});

test('the server down for 25 s: both pages come back by themselves once it restarts', async ({ browser }) => {
  test.setTimeout(180_000);
  const place = { port: await freePort(), workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'casino-restart-')) };
  let server: RunningServer | null = await startServer({}, place);
  try {
    const first = server;
    const { a, b, errors, close } = await twoPlayers(browser, first.baseUrl);
    await seatTwo(a, b);
    await oneHasTheTurn(a, b);
    const mover = (await myTurn(a)) ? a : b;
    await playTurn(mover);
    await oneHasTheTurn(a, b);
    const handBefore = await mover.locator('#my-hand .card').count();

    const stoppedAt = Date.now();
    server = null;
    await first.stop('casino-server-before-restart.log');
    // The five quick attempts fail; "Disconnected", Retry, and the next slow attempt's time.
    for (const p of [a, b]) {
      await expect(p.locator('#connection-status')).toHaveAttribute('data-state', 'disconnected', { timeout: 45_000 });
      await expect(p.locator('#retry')).toBeEnabled();
      await expect(p.locator('#link-banner')).toContainText(/Disconnected: trying again (in \d:\d\d|…)/);
      await expect(p.locator('#link-banner')).toContainText(/Your seat is kept for \d:\d\d\./);
      await expect(p.locator('#opponent-status')).toHaveAttribute('data-state', 'unknown');
    }
    // Down for 25 s in all.
    await expect.poll(() => Date.now() - stoppedAt, { timeout: 30_000, intervals: [500] }).toBeGreaterThanOrEqual(25_000);
    server = await startServer({}, place);

    // Nobody clicks: the slow attempts bring both back.
    for (const p of [a, b]) {
      await expect(p.locator('#connection-status')).toHaveAttribute('data-state', 'connected', { timeout: 40_000 });
      await expect(p.locator('#link-banner')).toHaveCount(0);
      await expect(p.locator('#opponent-status')).toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
    }
    // The game goes on where it was.
    await expect(mover.locator('#my-hand .card')).toHaveCount(handBefore);
    await oneHasTheTurn(a, b);
    const next = (await myTurn(a)) ? a : b;
    await playTurn(next);
    await oneHasTheTurn(a, b);
    expect(errors).toEqual([]);
    await close();
  } finally {
    await server?.stop('casino-server-after-restart.log');
    fs.rmSync(place.workDir, { recursive: true, force: true });
  }
});
