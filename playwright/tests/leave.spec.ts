// Leave, seen from both sides, against the real server: the leaver is asked first ("Stay" keeps
// the game), then goes home with the stored session gone; the opponent reads "Alice left the
// game" at once and may claim the victory without waiting for any threshold.
import { test, expect } from './fixtures';
import { newPlayer, seatTwo } from './helpers';

test('leave asks first, ends the session, and lets the opponent claim at once', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const code = await seatTwo(alice.page, bob.page);
  const a = alice.page;
  const b = bob.page;

  // Asked first; "Stay" changes nothing.
  await a.locator('#leave-room').click();
  await expect(a.locator('#leave-dialog')).toContainText('Leave the game?');
  await a.locator('#cancel-leave').click();
  await expect(a.locator('#leave-dialog')).toHaveCount(0);
  await expect(a.locator('.room')).toHaveAttribute('data-phase', 'playing');
  await expect(b.locator('#opponent-status')).toHaveAttribute('data-state', 'connected');

  await a.locator('#leave-room').click();
  await a.locator('#confirm-leave').click();
  // The leaver is home once the server confirmed; the session and its "Resume" entry are gone.
  await expect(a.locator('#home-notice')).toHaveText(`You left room ${code}.`);
  await expect(a).toHaveURL(/\/$/);
  await expect(a.locator('#resume-list')).toHaveCount(0);
  expect(await a.evaluate((room) => localStorage.getItem(`casino_session_${room}`), code)).toBeNull();
  // The room's link now leads to the join form (the seat cannot be resumed).
  await a.goto(`/room/${code}`);
  await expect(a.locator('#room-code')).toHaveValue(code);

  // The opponent is told within a second and may claim at once.
  await expect(b.locator('#opponent-status')).toHaveAttribute('data-state', 'left', { timeout: 1_000 });
  await expect(b.locator('#opponent-status')).toHaveText('Alice left the game');
  await expect(b.locator('#abandoned-dialog')).toContainText('Alice left the game');
  await expect(b.locator('#abandon-wait')).toHaveCount(0);
  await b.locator('#claim-victory').click();
  await expect(b.locator('#game-over')).toBeVisible();
  await expect(b.locator('#game-result')).toHaveText('You win!');
  await expect(b.locator('#game-over')).toContainText('Victory was claimed');
  await alice.context.close();
  await bob.context.close();
});
