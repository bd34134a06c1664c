// Between hands of a game to 21: both players see the summary of the hand that ended — each
// category with who took which cards, points this hand, running totals, both names — in an
// accessible dialog ("Next hand", Escape or Enter close it; the focus goes in and back; the
// live region announces it), while the next hand is already dealt underneath.
import { test, expect } from './fixtures';
import { newPlayer, playFirstHand, seatTwo } from './helpers';

test('both players see the hand summary between hands and go on with the next hand', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const errors: string[] = [];
  for (const p of [alice.page, bob.page]) p.on('pageerror', (e) => errors.push(String(e)));
  const a = alice.page;
  const b = bob.page;

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
    // The next hand is already dealt underneath.
    await expect(p.locator('.room')).toHaveAttribute('data-phase', 'playing');
    await expect(p.locator('#my-hand .card')).toHaveCount(4);
  }
  // Alice closes it with Escape, Bob with the button; the focus comes back to the table.
  await a.keyboard.press('Escape');
  await expect(a.locator('#hand-summary')).toHaveCount(0);
  await expect(a.locator('#table-screen :focus, #leave-room:focus')).toHaveCount(1);
  await expect(b.locator('#hand-summary')).toBeVisible();
  await b.locator('#hand-summary-next').click();
  await expect(b.locator('#hand-summary')).toHaveCount(0);
  // The game goes on: hand 2, with someone to move.
  await expect
    .poll(async () => (await a.locator('#turn-indicator[data-turn="you"]').count()) + (await b.locator('#turn-indicator[data-turn="you"]').count()))
    .toBe(1);
  expect(errors).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});
