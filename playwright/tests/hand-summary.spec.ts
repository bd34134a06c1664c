// Between hands of a game to 21: both players see the summary of the hand that ended — each
// category with who took which cards, points this hand, running totals, both names — in an
// accessible dialog that stays open through the server's break. "Next hand" (or Escape or
// Enter) says the player is ready: their dialog says it waits for the opponent, the opponent's
// says they are ready, a countdown shows when the hand starts anyway, and nobody can move.
// Once both pressed, both dialogs close, the focus is back on the table and exactly one player
// has the turn. The live region announces the end of the hand and then whose turn it is. A
// reload during the break reopens the summary as it was; a break nobody ends runs out by
// itself (on a server of its own with a short break).
import { serverForSpec } from '../server';
import { test, expect } from './fixtures';
import { oneHasTheTurn, playFirstHand, seatTwo, twoPlayers } from './helpers';

test('both players see the hand summary between hands and go on with the next hand', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const { a, b, errors, close } = await twoPlayers(browser, baseURL!);

  await seatTwo(a, b, false);
  await playFirstHand(a, b);
  for (const p of [a, b]) {
    const dialog = p.getByRole('dialog', { name: 'Hand 1 is over' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    // Both names head the point columns, the viewer's first.
    const heads = await p.locator('#hand-summary-table thead th').allInnerTexts();
    expect(heads.slice(1).sort()).toEqual(['Alice', 'Bob']);
    // Every category, with the cards behind it; counts stay in words, points in columns.
    for (const c of ['Most cards', 'Most spades', 'Big casino (10♦)', 'Little casino (2♠)', 'Aces', 'Sweeps']) {
      await expect(p.locator(`#hand-summary-table tr[data-category="${c}"]`)).toBeVisible();
      await expect(p.locator(`#hand-summary-details li[data-category="${c}"]`)).toBeVisible();
    }
    await expect(p.locator('#hand-summary-details li[data-category="Most cards"]')).toHaveText(/^Most cards: Alice \d+ cards?, Bob \d+ cards?/);
    await expect(p.locator('#hand-summary-details li[data-category="Big casino (10♦)"]')).toHaveText(/: (Alice|Bob|Nobody) took it$/);
    await expect(p.locator('#hand-summary-details li[data-category="Aces"]')).toContainText(/A[♠♥♦♣]/);
    // Points this hand sum the categories; the running total equals them after hand 1.
    const points = await p.locator('#hand-summary-points td').allInnerTexts();
    const totals = await p.locator('#hand-summary-totals td').allInnerTexts();
    expect(totals).toEqual(points);
    const categories = await p.locator('#hand-summary-table tbody tr[data-category]').evaluateAll((rows) =>
      rows.slice(0, 6).map((r) => Number(r.querySelectorAll('td')[0]?.textContent ?? '0')),
    );
    expect(categories.reduce((x, y) => x + y, 0)).toBe(Number(points[0]));
    // The focus is inside, on "Next hand"; the live region says the hand is over with names.
    await expect(p.locator('#hand-summary-next')).toBeFocused();
    await expect(p.locator('#hand-summary-next')).toHaveText('Next hand');
    await expect(p.locator('#announcer')).toContainText(/Hand 1 over: (Alice|Bob) \d+ points?, (Alice|Bob) \d+ points?\. Totals:/);
    // The next hand is dealt underneath, but nobody moves during the break.
    await expect(p.locator('.room')).toHaveAttribute('data-phase', 'playing');
    await expect(p.locator('#my-hand .card')).toHaveCount(4);
    await expect(p.locator('#turn-indicator')).toHaveAttribute('data-turn', 'none');
    await expect(p.locator('#hand-summary')).not.toContainText('already dealt');
    // The server's countdown (the test server gives 120 s: playwright/server.ts).
    await expect(p.locator('#hand-summary-countdown')).toHaveText(/^The next hand starts in \d+ s$/);
    const left = Number((await p.locator('#hand-summary-countdown').innerText()).match(/\d+/)![0]);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(120);
    const status = p.locator('#hand-summary-status');
    await expect(status).toHaveAttribute('aria-live', 'polite');
    await expect(status).toHaveText('');
  }

  // Alice says she is ready with Enter on "Next hand" (Escape would only put the summary away:
  // dialogs.spec.ts): her dialog stays open and waits for Bob; Bob's says Alice is ready.
  // Nobody can move meanwhile.
  await a.keyboard.press('Enter');
  await expect(a.locator('#hand-summary-status')).toHaveText('Waiting for Bob…');
  await expect(a.locator('#hand-summary-next')).toHaveAttribute('aria-disabled', 'true');
  await expect(a.locator('#hand-summary-next')).toBeFocused();
  // Bob reading it means the server took Alice's readiness and kept the break.
  await expect(b.locator('#hand-summary-status')).toHaveText('Alice is ready');
  await expect(b.locator('#hand-summary-next')).toHaveAttribute('aria-disabled', 'false');
  // Pressing again changes nothing (the readiness is sent once; the button stays focusable).
  await a.keyboard.press('Enter');
  await a.locator('#hand-summary-next').click({ force: true });
  await expect(a.locator('#hand-summary-next')).toBeFocused();
  for (const p of [a, b]) {
    await expect(p.locator('#hand-summary')).toBeVisible();
    await expect(p.locator('#turn-indicator[data-turn="you"]')).toHaveCount(0);
    await expect(p.locator('#my-hand .card[data-playable="true"]')).toHaveCount(0);
  }

  // Bob presses the button: the hand starts for both.
  await b.locator('#hand-summary-next').click();
  for (const p of [a, b]) {
    await expect(p.locator('#hand-summary')).toHaveCount(0);
    await expect(p.locator('.room')).toHaveAttribute('data-summary-open', 'false');
    // The focus is back on the table: on the player's hand.
    await expect(p.locator('#my-hand :focus')).toHaveCount(1);
    await expect(p.locator('#announcer')).toContainText(/^Hand 2 starts\. (Your turn|(Alice|Bob)'s turn)\.$/);
  }
  // The game goes on: hand 2, exactly one player to move, and told so.
  await oneHasTheTurn(a, b);
  const mover = (await a.locator('#turn-indicator[data-turn="you"]').count()) > 0 ? a : b;
  await expect(mover.locator('#announcer')).toHaveText('Hand 2 starts. Your turn.');
  await expect((mover === a ? b : a).locator('#announcer')).toHaveText(`Hand 2 starts. ${mover === a ? 'Alice' : 'Bob'}'s turn.`);
  await expect(a.locator('#hand-number')).toHaveText('Hand 2');
  expect(errors).toEqual([]);
  await close();
});

test('a reload during the break reopens the summary with who is ready', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const { a, b, close } = await twoPlayers(browser, baseURL!);
  await seatTwo(a, b, false);
  await playFirstHand(a, b);
  await a.locator('#hand-summary-next').click();
  await expect(a.locator('#hand-summary-status')).toHaveText('Waiting for Bob…');
  await a.reload();
  const dialog = a.getByRole('dialog', { name: 'Hand 1 is over' });
  await expect(dialog).toBeVisible();
  await expect(a.locator('#hand-summary-status')).toHaveText('Waiting for Bob…');
  await expect(a.locator('#hand-summary-next')).toHaveAttribute('aria-disabled', 'true');
  await expect(a.locator('#hand-summary-next')).toBeFocused();
  await b.reload();
  await expect(b.getByRole('dialog', { name: 'Hand 1 is over' })).toBeVisible();
  await expect(b.locator('#hand-summary-status')).toHaveText('Alice is ready');
  await b.keyboard.press('Enter');
  for (const p of [a, b]) await expect(p.locator('#hand-summary')).toHaveCount(0);
  await oneHasTheTurn(a, b);
  await close();
});

test.describe('a short break', () => {
  const server = serverForSpec(test, { CASINO_HAND_BREAK_MS: '8000' }, 'casino-server-hand-break.log');

  test('the next hand starts by itself when the countdown ends', async ({ browser }) => {
    test.setTimeout(240_000);
    const { a, b, close } = await twoPlayers(browser, server().baseUrl);
    await seatTwo(a, b, false);
    await playFirstHand(a, b);
    await expect(a.locator('#hand-summary-countdown')).toHaveText(/^The next hand starts in [1-8] s$/);
    // Nobody presses anything: both dialogs close when the server starts the hand.
    for (const p of [a, b]) await expect(p.locator('#hand-summary')).toHaveCount(0, { timeout: 15_000 });
    await oneHasTheTurn(a, b);
    await expect(a.locator('#hand-number')).toHaveText('Hand 2');
    await close();
  });
});
