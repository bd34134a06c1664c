// SPEC R6 across devices: the same seat opened in another browser (no BroadcastChannel between
// them) gets the server's `conflict` and the same "Take over" / "Cancel" dialog; taking over
// moves the seat and the first browser shows "Session moved" for good.
import { test, expect } from './fixtures';
import { newPlayer, seatTwo } from './helpers';

test('another device gets the server conflict and can take the seat over', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  await alice.page.clock.install();
  const code = await seatTwo(alice.page, bob.page);
  // A second browser with Alice's stored session: it shares no BroadcastChannel with the first.
  const device = await browser.newContext({ baseURL, storageState: await alice.context.storageState() });
  const d = await device.newPage();
  await d.goto(`/room/${code}`);
  await expect(d.locator('#conflict-dialog')).toBeVisible();
  await expect(alice.page.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await d.locator('#takeover').click();
  await expect(d.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await expect(d.locator('#table-screen')).toBeVisible();
  await expect(alice.page.locator('.room')).toHaveAttribute('data-phase', 'moved');
  await expect(alice.page.locator('#session-moved')).toHaveText('Session moved to another tab');
  // It stays moved: no reconnection steals the seat back, however long it waits (its clock runs
  // past the whole reconnection schedule).
  let sockets = 0;
  alice.page.on('websocket', () => sockets++);
  await alice.page.clock.fastForward(60_000);
  await expect(alice.page.locator('.room')).toHaveAttribute('data-phase', 'moved');
  expect(sockets).toBe(0);
  await expect(d.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await device.close();
  await alice.context.close();
  await bob.context.close();
});
