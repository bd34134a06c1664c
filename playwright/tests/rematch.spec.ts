// A rematch from the game-over screen, against the real server: Alice asks ("Rematch with
// Bob") and reads that she waits for Bob; Bob reads "Alice wants a rematch" and accepts; both
// pages land in the same new room, names kept and seats swapped (Bob, seat 0 now, plays
// first), each with its new session stored (a reload in between keeps the offer). The old
// room's link still shows its result. An opponent who left the game cannot be asked.
import { test, expect } from './fixtures';
import { playTurn, playUntil, seatTwo, twoPlayers } from './helpers';

test('both players ask for a rematch and play again in a new room, seats swapped', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const { a, b, errors, close } = await twoPlayers(browser, baseURL!);

  const code = await seatTwo(a, b, true);
  // In the first room Alice, its creator, plays first.
  await expect(a.locator('#turn-indicator')).toHaveAttribute('data-turn', 'you');
  await playUntil(
    [a, b],
    async () => (await a.locator('#game-over').count()) > 0 && (await b.locator('#game-over').count()) > 0,
    300,
  );
  for (const p of [a, b]) {
    await expect(p.locator('.room')).toHaveAttribute('data-phase', 'over');
    await expect(p.locator('#play-again')).toBeVisible();
    await expect(p.locator('#rematch')).toHaveAttribute('aria-disabled', 'false');
    await expect(p.locator('#rematch-status')).toHaveAttribute('aria-live', 'polite');
    await expect(p.locator('#rematch-status')).toHaveText('');
  }
  await expect(a.locator('#rematch')).toHaveText('Rematch with Bob');
  await expect(b.locator('#rematch')).toHaveText('Rematch with Alice');

  // Alice asks and waits; Bob is told, by name, and may accept.
  await a.locator('#rematch').click();
  await expect(a.locator('#rematch-status')).toHaveText('Waiting for Bob to accept…');
  await expect(a.locator('#rematch')).toHaveAttribute('aria-disabled', 'true');
  await expect(b.locator('#rematch-status')).toHaveText('Alice wants a rematch');
  await expect(b.locator('#rematch')).toHaveText('Accept rematch with Alice');
  await expect(b.locator('#rematch')).toHaveAttribute('aria-disabled', 'false');
  // A reload keeps the finished game's session: Bob still sees the offer and may accept.
  await b.reload();
  await expect(b.locator('#game-over')).toBeVisible();
  await expect(b.locator('#rematch-status')).toHaveText('Alice wants a rematch');
  await expect(b.locator('#rematch')).toHaveText('Accept rematch with Alice');
  await b.locator('#rematch').click();

  // Both land in the same new room.
  await expect(a).not.toHaveURL(new RegExp(`/room/${code}$`));
  await expect(a).toHaveURL(/\/room\/[A-Z0-9]{6}$/);
  const newCode = new URL(a.url()).pathname.split('/').pop()!;
  expect(newCode).not.toBe(code);
  await expect(b).toHaveURL(new RegExp(`/room/${newCode}$`));
  for (const p of [a, b]) {
    await expect(p.locator('#room-label')).toContainText(`Room ${newCode}`);
    await expect(p.locator('#table-screen')).toBeVisible();
    await expect(p.locator('.room')).toHaveAttribute('data-phase', 'playing');
    await expect(p.locator('#connection-status')).toHaveAttribute('data-state', 'connected');
  }
  // Names kept, on both sides of the table.
  await expect(a.locator('#score-me')).toContainText('Alice:');
  await expect(a.locator('#score-opponent')).toContainText('Bob:');
  await expect(b.locator('#score-me')).toContainText('Bob:');
  await expect(b.locator('#score-opponent')).toContainText('Alice:');
  // Seats swapped: Bob leads the first hand now.
  await expect(b.locator('#turn-indicator')).toHaveAttribute('data-turn', 'you');
  await expect(a.locator('#turn-indicator')).toHaveAttribute('data-turn', 'opponent');
  // Each page stored its new session the way create and join do (the old one is gone).
  for (const [p, name] of [[a, 'Alice'], [b, 'Bob']] as const) {
    const stored = await p.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith('casino_session_'))
        .map((k) => [k, JSON.parse(localStorage.getItem(k)!).name]),
    );
    expect(stored).toEqual([[`casino_session_${newCode}`, name]]);
  }
  // The new game plays.
  await playTurn(b);
  await expect(a.locator('#turn-indicator')).toHaveAttribute('data-turn', 'you');
  // A reload stays in the new room.
  await a.reload();
  await expect(a.locator('#table-screen')).toBeVisible();
  await expect(a.locator('#room-label')).toContainText(`Room ${newCode}`);

  // The old room's link shows its result, not a join form.
  await b.goto(`/room/${code}`);
  await expect(b.locator('#finished-room')).toBeVisible();
  await expect(b.locator('#finished-room h2')).toHaveText(`Room ${code}: this game is over`);
  await expect(b.locator('#join-room')).toHaveCount(0);
  expect(errors).toEqual([]);
  await close();
});

test('no rematch with an opponent who left the game', async ({ browser, baseURL }) => {
  const { a, b, close } = await twoPlayers(browser, baseURL!);
  await seatTwo(a, b, true);
  await a.locator('#leave-room').click();
  await a.locator('#confirm-leave').click();
  await expect(a).toHaveURL(/\/$/);
  await expect(b.locator('#opponent-status')).toHaveAttribute('data-state', 'left');
  await b.locator('#claim-victory').click();
  await expect(b.locator('#game-over')).toBeVisible();
  await expect(b.locator('#rematch-status')).toHaveText('Alice has left; no rematch');
  await expect(b.locator('#rematch')).toHaveCount(0);
  await expect(b.locator('#play-again')).toBeVisible();
  await close();
});
