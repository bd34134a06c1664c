// Two browser contexts play a complete (single-hand) match through the UI and see the result.
import * as path from 'node:path';
import { test, expect } from './fixtures';
import { newPlayer, playUntil, seatTwo } from './helpers';

const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

test('two players play a complete match through the UI', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const errors: string[] = [];
  for (const p of [alice.page, bob.page]) p.on('pageerror', (e) => errors.push(String(e)));

  await seatTwo(alice.page, bob.page);
  // Exactly one of them is to move; the other waits.
  const turns = await Promise.all(
    [alice.page, bob.page].map((p) => p.locator('#turn-indicator').getAttribute('data-turn')),
  );
  expect(turns.sort()).toEqual(['opponent', 'you']);
  // Every card shows rank and suit; playable cards are highlighted for the player to move.
  const moverIsAlice = (await alice.page.locator('#turn-indicator').getAttribute('data-turn')) === 'you';
  const toMove = moverIsAlice ? alice.page : bob.page;
  await expect(toMove.locator('#turn-indicator')).toHaveText('Your turn!');
  await expect(toMove.locator('#my-hand .card[data-playable="true"]').first()).toBeVisible();
  await expect((moverIsAlice ? bob.page : alice.page).locator('#turn-indicator')).toHaveText('Waiting for opponent');

  // A few moves in, the table is worth a screenshot.
  let turnsPlayed = 0;
  await playUntil([alice.page, bob.page], async () => ++turnsPlayed > 3);
  await alice.page.screenshot({ path: path.join(SHOTS, 'table.png') });

  await playUntil([alice.page, bob.page], async () => (await alice.page.locator('#game-over').count()) > 0, 300);
  for (const p of [alice.page, bob.page]) {
    await expect(p.locator('#game-over')).toBeVisible();
    // Per-hand table with both names and the total; points by category; the reason in words.
    const heads = await p.locator('#score-breakdown thead th').allInnerTexts();
    expect(heads.slice(1).sort()).toEqual(['Alice', 'Bob']);
    await expect(p.locator('#score-breakdown tr[data-hand="1"]')).toBeVisible();
    await expect(p.locator('#score-breakdown tr[data-category="Total"]')).toBeVisible();
    await expect(p.locator('#end-reason')).toHaveAttribute('data-reason', 'played-out');
    // Counts (cards taken) are never mixed with points: the point table has no count rows.
    await expect(p.locator('#category-points tr[data-category="Most cards"]')).toBeVisible();
    await expect(p.locator('#game-over')).not.toContainText('Cards taken');
    await expect(p.locator('#last-hand-detail tr[data-category="Most cards"] td')).toContainText(/Alice \d+ cards?, Bob \d+ cards?/);
    await expect(p.locator('#final-scores')).toContainText(/^(Alice|Bob) \d+ – \d+ (Alice|Bob)/);
    await expect(p.locator('#play-again')).toBeVisible();
    // A single-hand game says "1 hand", not "1 hand(s)".
    await expect(p.locator('#final-scores')).toHaveText(/ · 1 hand$/);
    // The revealed seed hashes to the commitment of the first welcome and deals what each saw.
    await expect(p.locator('#deal-check')).toHaveAttribute('data-check', 'verified');
    await expect(p.locator('#deal-check')).toContainText('Deal verified');
  }
  await alice.page.screenshot({ path: path.join(SHOTS, 'game-over.png') });
  // The finished game's session stays while its screen is up (a reload still offers the
  // rematch); "Play again" forgets it and goes home without a "Resume" entry.
  const sessions = () => alice.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('casino_session_')));
  expect(await sessions()).toHaveLength(1);
  await alice.page.locator('#play-again').click();
  await expect(alice.page.locator('#create-room')).toBeVisible();
  await expect(alice.page.locator('#resume-list')).toHaveCount(0);
  expect(await sessions()).toEqual([]);
  expect(errors).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});
