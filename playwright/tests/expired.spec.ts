// A session the real server refuses before the WebSocket upgrade (401) ends on "This game session
// has expired" instead of five useless retries: the browser cannot read the 401, so the client
// asks GET /api/session after a failed connection.
import { test, expect } from './fixtures';
import { newPlayer, seatTwo } from './helpers';

test('a session the server refuses shows that it expired, without retrying', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const code = await seatTwo(alice.page, bob.page);
  const a = alice.page;
  // Spoil the stored token the way a server-side revocation or expiry would leave it: refused.
  await a.evaluate((room) => {
    const key = `casino_session_${room}`;
    const stored = JSON.parse(localStorage.getItem(key) ?? '{}');
    stored.token = 'x' + String(stored.token).slice(1);
    localStorage.setItem(key, JSON.stringify(stored));
  }, code);
  await a.reload();
  await expect(a.locator('#session-expired')).toContainText('This game session has expired', { timeout: 10_000 });
  await expect(a.locator('.room')).toHaveAttribute('data-phase', 'expired');
  await expect(a.locator('#connection-status')).not.toHaveAttribute('data-state', 'reconnecting');
  await alice.context.close();
  await bob.context.close();
});
