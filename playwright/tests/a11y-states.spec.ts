// axe finds no violation, at phone and desktop sizes, in every connection state of the room:
// offline, reconnecting, disconnected (the table greyed behind the banner), and the session
// moved to another device.
import { type WebSocketRoute } from '@playwright/test';
import { test, expect } from './fixtures';
import { expectNoViolations } from './axe';
import { seatTwo, twoPlayers } from './helpers';

test('axe finds no violation while offline, reconnecting, disconnected and moved', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const { a, b, errors, close } = await twoPlayers(browser, baseURL!);
  let refused = false;
  let live: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  await a.routeWebSocket(/\/ws/, (ws) => {
    if (refused) {
      ws.close({ code: 4000, reason: 'refused' });
      return;
    }
    const server = ws.connectToServer();
    live = { page: ws, server };
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(m));
  });
  const code = await seatTwo(a, b);
  const status = a.locator('#connection-status');

  await a.context().setOffline(true);
  await expect(status).toHaveAttribute('data-state', 'offline');
  await expectNoViolations(a, 'offline');

  // Online, but every attempt is refused: the quick attempts, then "Disconnected".
  refused = true;
  await a.context().setOffline(false);
  await expect(status).toHaveAttribute('data-state', 'reconnecting');
  await expect(a.locator('#link-banner')).toHaveAttribute('data-state', 'reconnecting');
  await expectNoViolations(a, 'reconnecting');
  await expect(status).toHaveAttribute('data-state', 'disconnected', { timeout: 40_000 });
  await expect(a.locator('#table-screen')).toHaveClass(/disabled/);
  await expectNoViolations(a, 'disconnected');
  refused = false;
  await a.locator('#retry').click();
  await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
  expect(live).not.toBeNull();

  // Another device takes the seat over: this page is "moved" for good.
  const device = await browser.newContext({ baseURL, storageState: await a.context().storageState() });
  const d = await device.newPage();
  await d.goto(`/room/${code}`);
  await d.locator('#takeover').click();
  await expect(a.locator('.room')).toHaveAttribute('data-phase', 'moved');
  await expectNoViolations(a, 'session moved');
  expect(errors).toEqual([]);
  await device.close();
  await close();
});
