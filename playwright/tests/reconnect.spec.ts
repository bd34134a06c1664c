// Seed 20.1 in the browser: a dropped socket the server cannot take back shows "Reconnecting…
// (n/5)", coming back restores the table with the right turn; a move whose ack was lost is applied exactly once;
// a reload mid-game returns to the same seat.
import * as path from 'node:path';
import type { WebSocketRoute } from '@playwright/test';
import { test, expect } from './fixtures';
import { handCards, myTurn, newPlayer, playTurn, playUntil, seatTwo } from './helpers';

const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

test('drop, reconnect, lost ack and reload keep the game', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  const b = bob.page;

  // Alice's sockets go through this route: it can refuse new sockets, cut the live one, and
  // swallow the server's answer to her next move.
  let blocked = false;
  let swallowAfterAction = false;
  let live: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  const actionsSent: string[] = [];
  await a.routeWebSocket(/\/ws/, (ws) => {
    if (blocked) {
      ws.close({ code: 4000, reason: 'offline' });
      return;
    }
    const server = ws.connectToServer();
    const link = { page: ws, server };
    live = link;
    ws.onMessage((m) => {
      const text = String(m);
      if (text.includes('"type":"action"')) {
        actionsSent.push(text);
        server.send(m);
        if (swallowAfterAction) {
          // The server applies the move, but the ack never reaches the page.
          swallowAfterAction = false;
          blocked = true;
          ws.close({ code: 4001, reason: 'cut' });
          server.close();
        }
        return;
      }
      server.send(m);
    });
    server.onMessage((m) => {
      if (live === link) ws.send(m);
    });
  });

  await seatTwo(a, b);

  // Play until it is Alice's turn.
  await playUntil([a, b], async () => myTurn(a));

  // --- The socket drops and the server cannot be reached: "Reconnecting… (n/5)", counting up ---
  // (with the browser offline no try is made or counted: reconnect-never-gives-up.spec.ts)
  blocked = true;
  live!.page.close({ code: 4000, reason: 'drop' });
  live!.server.close();
  const status = a.locator('#connection-status');
  await expect(status).toHaveAttribute('data-state', 'reconnecting');
  await expect(status).toHaveText(/Reconnecting… \([1-5]\/5\)/);
  await expect(a.locator('#link-banner')).toContainText('Connection lost: reconnecting');
  // The retries fail, and the count goes up.
  await expect(status).toHaveText(/Reconnecting… \([2-5]\/5\)/, { timeout: 8_000 });
  await expect(b.locator('#opponent-status')).not.toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
  await a.screenshot({ path: path.join(SHOTS, 'reconnecting.png') });

  // --- Reachable again: the table is restored with the right turn indicator ---
  blocked = false;
  await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(a.locator('.room[data-phase="playing"]')).toBeVisible();
  await expect(a.locator('#turn-indicator')).toHaveText('Your turn!');
  await expect(b.locator('#turn-indicator')).toHaveText('Waiting for opponent');
  await expect(b.locator('#opponent-status')).toHaveAttribute('data-state', 'connected', { timeout: 10_000 });

  // --- A move whose ack is lost is resent after reconnection and applied exactly once ---
  const before = await handCards(a);
  swallowAfterAction = true;
  await playTurn(a);
  await expect(status).toHaveAttribute('data-state', 'reconnecting');
  await expect(a.locator('#pending-move')).toHaveCount(1);
  blocked = false;
  await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(a.locator('#pending-move')).toHaveCount(0);
  const after = await handCards(a);
  expect(after.length).toBe(before.length - 1);
  await expect(b.locator('#opponent-hand')).toHaveAttribute('data-count', String(after.length));
  await expect(b.locator('#turn-indicator')).toHaveText('Your turn!');
  // The same action_id went out twice (first send and resend); the server applied it once.
  const ids = actionsSent.map((t) => JSON.parse(t).action_id);
  expect(ids.length).toBeGreaterThanOrEqual(2);
  expect(ids[ids.length - 1]).toBe(ids[ids.length - 2]);

  // --- A reload mid-game returns to the same seat with the same hand ---
  const hand = await handCards(b);
  const myScoreLine = await b.locator('#score-me').innerText();
  await b.reload();
  await expect(b.locator('.room[data-phase="playing"]')).toBeVisible();
  await expect(b.locator('#connection-status')).toHaveAttribute('data-state', 'connected');
  expect(await handCards(b)).toEqual(hand);
  await expect(b.locator('#score-me')).toHaveText(myScoreLine);
  await expect(b.locator('#turn-indicator')).toHaveText('Your turn!');

  await alice.context.close();
  await bob.context.close();
});
