// SPEC R8 in the browser: the connection indicator in all four states — green "Connected",
// yellow "Connection unstable" (pongs stop arriving), orange "Reconnecting… (n/5)", red
// "Disconnected" with an enabled Retry that turns disabled while the retry runs — and back to
// "Connected". Alice's sockets go through a route that can drop pongs and refuse sockets; her
// page clock is controlled so the heartbeat and backoff timings pass in moments.
import type { Locator, Page, WebSocketRoute } from '@playwright/test';
import { test, expect } from './fixtures';
import { newPlayer, seatTwo } from './helpers';

/// Moves the page clock on by `stepMs` until the indicator shows `state` (each step gives the page
/// a moment to react before the next).
async function advanceUntil(page: Page, state: string, stepMs: number, maxSteps = 40): Promise<void> {
  const status = page.locator('#connection-status');
  for (let i = 0; i < maxSteps; i++) {
    if (await shows(status, state)) return;
    await page.clock.fastForward(stepMs);
  }
  await expect(status).toHaveAttribute('data-state', state, { timeout: 1_000 });
}

/// Whether `status` shows `state` within a short poll.
async function shows(status: Locator, state: string): Promise<boolean> {
  return expect(status)
    .toHaveAttribute('data-state', state, { timeout: 100 })
    .then(() => true)
    .catch(() => false);
}

test('connection indicator: connected, unstable, reconnecting, disconnected with Retry', async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  await a.clock.install();
  let dropPongs = false;
  let blocked = false;
  let live: WebSocketRoute | null = null;
  await a.routeWebSocket(/\/ws/, (ws) => {
    if (blocked) {
      ws.close({ code: 4000, reason: 'offline' });
      return;
    }
    const server = ws.connectToServer();
    live = ws;
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      if (dropPongs && String(m).includes('"type":"pong"')) return;
      ws.send(m);
    });
  });
  await seatTwo(a, bob.page);
  const status = a.locator('#connection-status');
  const retry = a.locator('#retry');

  // Connected: green, no Retry.
  await expect(status).toHaveAttribute('data-state', 'connected');
  await expect(status).toHaveText('Connected');
  await expect(retry).toHaveCount(0);

  // Pongs stop: "Connection unstable" (no Retry), and healthy again once they come back.
  dropPongs = true;
  await advanceUntil(a, 'unstable', 2_000);
  await expect(status).toHaveText('Connection unstable');
  await expect(retry).toHaveCount(0);
  dropPongs = false;
  await advanceUntil(a, 'connected', 2_000);

  // The socket drops and new ones are refused: "Reconnecting… (n/5)" with a spinner.
  blocked = true;
  live!.close({ code: 4000, reason: 'cut' });
  await expect(status).toHaveAttribute('data-state', 'reconnecting');
  await expect(status).toHaveText(/Reconnecting… \([1-5]\/5\)/);
  await expect(status.locator('.spinner')).toHaveCount(1);
  await expect(retry).toHaveCount(0);

  // Every attempt fails: red "Disconnected" with an enabled Retry.
  await advanceUntil(a, 'disconnected', 2_000);
  await expect(status).toHaveText(/Disconnected/);
  await expect(retry).toBeEnabled();

  // Retry while still offline: a manual round runs and Retry is disabled meanwhile.
  await retry.click();
  await expect(status).toHaveAttribute('data-state', 'reconnecting');
  await expect(retry).toBeDisabled();

  // Back online: connected again.
  blocked = false;
  await advanceUntil(a, 'connected', 2_000);
  await expect(status).toHaveText('Connected');
  await expect(retry).toHaveCount(0);
  await alice.context.close();
  await bob.context.close();
});

// Seed 19.5 in the browser: the server stops answering pings while the socket stays open. The
// client shows "Connection unstable", and after three missed pongs reconnects by itself; the new
// socket answers again and the game is restored.
test('a silent server: unstable, then the client reconnects by itself', async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  await a.clock.install();
  let silent = false;
  let sockets = 0;
  await a.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    sockets += 1;
    const first = sockets === 1;
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      // Once told to, the first socket stops passing pongs; later sockets answer normally.
      if (first && silent && String(m).includes('"type":"pong"')) return;
      ws.send(m);
    });
  });
  await seatTwo(a, bob.page);
  const status = a.locator('#connection-status');
  const hand = await a.locator('#my-hand .card').count();
  await expect(status).toHaveAttribute('data-state', 'connected');

  silent = true;
  await advanceUntil(a, 'unstable', 2_000);
  await expect(status).toHaveText('Connection unstable');
  // Three missed pongs: the client gives the socket up and opens a new one.
  for (let i = 0; i < 60 && sockets < 2; i++) {
    await a.clock.fastForward(2_000);
    await expect.poll(() => sockets, { timeout: 100 }).toBeGreaterThanOrEqual(2).catch(() => undefined);
  }
  expect(sockets).toBeGreaterThanOrEqual(2);
  await advanceUntil(a, 'connected', 1_000);
  await expect(a.locator('#table-screen')).toBeVisible();
  await expect(a.locator('#my-hand .card')).toHaveCount(hand);
  await alice.context.close();
  await bob.context.close();
});
