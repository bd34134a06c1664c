// Seed 20.3 in the browser (SPEC R6): the same game opened in a second tab of the same browser
// shows "Game is open in another tab"; "Take over" moves the seat, the old tab shows "Session
// moved to another tab" with every control off and stays off; the game goes on in the new tab.
import { test, expect } from './fixtures';
import { myTurn, newPlayer, playTurn, seatTwo } from './helpers';

test('a second tab asks, takes over, and the old tab stops for good', async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  await alice.page.clock.install();
  const code = await seatTwo(alice.page, bob.page);
  const old = alice.page;

  // Same browser context = same storage and the same BroadcastChannel.
  const fresh = await alice.context.newPage();
  await fresh.goto(`/room/${code}`);
  const dialog = fresh.locator('#conflict-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Game is open in another tab');
  await expect(fresh.locator('#takeover')).toBeEnabled();
  await expect(fresh.locator('#cancel-takeover')).toBeEnabled();
  // Asking took nothing away from the old tab.
  await expect(old.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await expect(old.locator('#connection-status')).toHaveAttribute('data-state', 'connected');

  await fresh.locator('#takeover').click();
  await expect(fresh.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await expect(fresh.locator('#connection-status')).toHaveAttribute('data-state', 'connected');

  await expect(old.locator('#session-moved')).toHaveText('Session moved to another tab');
  await expect(old.locator('.room')).toHaveAttribute('data-phase', 'moved');
  await expect(old.locator('#leave-room')).toHaveCount(0);
  await expect(old.locator('#table-screen')).toHaveClass(/disabled/);
  await expect(old.locator('#my-hand .card[data-playable="true"]')).toHaveCount(0);
  await expect(old.locator('.move-option')).toHaveCount(0);
  // It does not reconnect: still moved after the whole reconnection schedule has passed on its
  // clock, with no Retry offered.
  let sockets = 0;
  old.on('websocket', () => sockets++);
  await old.clock.fastForward(60_000);
  await expect(old.locator('.room')).toHaveAttribute('data-phase', 'moved');
  expect(sockets).toBe(0);
  await expect(old.locator('#retry')).toHaveCount(0);

  // The game goes on in the new tab: whoever is to move plays, and the other side sees it.
  const mover = (await myTurn(fresh)) ? fresh : bob.page;
  const other = mover === fresh ? bob.page : fresh;
  await expect.poll(() => myTurn(mover)).toBe(true);
  await playTurn(mover);
  await expect.poll(() => myTurn(other), { timeout: 10_000 }).toBe(true);
  await expect(old.locator('.room')).toHaveAttribute('data-phase', 'moved');

  await alice.context.close();
  await bob.context.close();
});

test('Cancel in the second tab leaves the first one playing', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const code = await seatTwo(alice.page, bob.page);
  const fresh = await alice.context.newPage();
  await fresh.goto(`/room/${code}`);
  await expect(fresh.locator('#conflict-dialog')).toBeVisible();
  await fresh.locator('#cancel-takeover').click();
  await expect(fresh).toHaveURL(/\/$/);
  await expect(alice.page.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await expect(alice.page.locator('#connection-status')).toHaveAttribute('data-state', 'connected');
  // The seat is still stored: the first tab can reload into it.
  await alice.page.reload();
  await expect(alice.page.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await alice.context.close();
  await bob.context.close();
});
