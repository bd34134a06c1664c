// Leave, seen from both sides, against the real server: the leaver is asked first ("Stay" keeps
// the game), then goes home with the stored session gone; the opponent reads "Alice left the
// game" at once and may claim the victory without waiting for any threshold; the game-over
// screen gives the reason with names, and the room's link then shows the result.
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
  // The reason names both players; no "0 – 0 · 0 hands" for a game ended before any hand.
  await expect(b.locator('#end-reason')).toHaveAttribute('data-reason', 'opponent-left');
  await expect(b.locator('#end-reason')).toHaveText('Victory was claimed by Bob: Alice left the game.');
  await expect(b.locator('#final-scores')).toHaveText(/^No hand was finished: the game ended during hand 1/);
  await expect(b.locator('#game-over')).not.toContainText('0 hands');
  await expect(b.locator('#score-breakdown')).toHaveCount(0);

  // Now the room's link shows the finished game's result instead of a join form.
  await a.goto(`/room/${code}`);
  await expect(a.locator('#finished-room')).toBeVisible();
  await expect(a.locator('#finished-room h2')).toHaveText(`Room ${code}: this game is over`);
  await expect(a.locator('#finished-winner')).toHaveText('Bob won');
  await expect(a.locator('#finished-scores')).toHaveText('No hand was finished before the game ended.');
  await expect(a.locator('#finished-reason')).toHaveText('Victory was claimed by Bob: Alice left the game.');
  await expect(a.locator('#join-room')).toHaveCount(0);
  await expect(a.locator('#create-room')).toBeVisible();
  await alice.context.close();
  await bob.context.close();
});
