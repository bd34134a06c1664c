// A whole single-hand game played with the keyboard only: Tab / Shift+Tab between the groups
// (table, hand, moves), arrow keys within a group, Enter and Space to select and to confirm.
// Cards are buttons named in words, and the polite live region announces the turn, the
// opponent's move and the end of the hand. After each move the focus stays on the table.
import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { myTurn, newPlayer, seatTwo } from './helpers';

const RANKS: Record<string, string> = { A: 'Ace', J: 'Jack', Q: 'Queen', K: 'King' };
const SUITS: Record<string, string> = { S: 'spades', H: 'hearts', D: 'diamonds', C: 'clubs' };

/// "9H" → "9 of hearts", "AS" → "Ace of spades".
function cardName(code: string): string {
  const rank = code.slice(0, -1);
  return `${RANKS[rank] ?? rank} of ${SUITS[code.slice(-1)]}`;
}

/// The focused element's attribute, or null.
async function focused(page: Page, attribute: string): Promise<string | null> {
  return page.evaluate((a) => document.activeElement?.getAttribute(a) ?? null, attribute);
}

/// Presses Tab (or Shift+Tab) until the focus is inside `group`.
async function tabInto(page: Page, group: string, backwards = false): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const inside = await page.evaluate((g) => !!document.activeElement?.closest(g), group);
    if (inside) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${group}`);
}

/// Within the focused group, goes Home then right with the arrow keys to the button whose
/// `attribute` is `value`.
async function arrowTo(page: Page, attribute: string, value: string): Promise<void> {
  await page.keyboard.press('Home');
  for (let i = 0; i < 60; i++) {
    if ((await focused(page, attribute)) === value) return;
    await page.keyboard.press('ArrowRight');
  }
  throw new Error(`arrows never reached [${attribute}="${value}"]`);
}

/// One turn with the keyboard only; the hint attributes say which legal selection to make.
async function playTurnByKeyboard(page: Page, turn: number): Promise<void> {
  const card = page.locator('#my-hand .card[data-playable="true"]').first();
  const code = (await card.getAttribute('data-card'))!;
  const loose = ((await card.getAttribute('data-hint-loose')) ?? '').split(' ').filter(Boolean);
  const builds = ((await card.getAttribute('data-hint-builds')) ?? '').split(' ').filter(Boolean);

  await tabInto(page, '#my-hand');
  await arrowTo(page, 'data-card', code);
  // Alternate Enter and Space: both select.
  await page.keyboard.press(turn % 2 ? 'Space' : 'Enter');
  await expect(page.getByRole('button', { name: cardName(code), exact: true })).toHaveAttribute('aria-pressed', 'true');

  if (loose.length + builds.length > 0) {
    await tabInto(page, '#table-cards', true);
    for (const c of loose) {
      await arrowTo(page, 'data-card', c);
      await page.keyboard.press('Space');
      await expect(page.locator(`#table-cards > .card[data-card="${c}"]`)).toHaveAttribute('aria-pressed', 'true');
    }
    for (const b of builds) {
      await arrowTo(page, 'data-build', b);
      await page.keyboard.press('Enter');
      await expect(page.locator(`#table-cards .build[data-build="${b}"]`)).toHaveAttribute('aria-pressed', 'true');
    }
  }
  await expect(page.locator('.move-option').first()).toBeVisible();
  await tabInto(page, '.move-options');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
}

test('a whole hand can be played with the keyboard, announced to screen readers', async ({ browser, baseURL }) => {
  test.setTimeout(480_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const errors: string[] = [];
  for (const p of [alice.page, bob.page]) p.on('pageerror', (e) => errors.push(String(e)));
  await seatTwo(alice.page, bob.page);
  const names = new Map<Page, string>([
    [alice.page, 'Alice'],
    [bob.page, 'Bob'],
  ]);

  for (const p of [alice.page, bob.page]) {
    // One h1 and the main landmark; the live region is in the page, only visually hidden.
    await expect(p.locator('h1')).toHaveCount(1);
    await expect(p.getByRole('main')).toHaveCount(1);
    const live = p.locator('#announcer');
    await expect(live).toHaveAttribute('aria-live', 'polite');
    await expect(live).toBeAttached();
    expect(await live.evaluate((e) => getComputedStyle(e).display)).not.toBe('none');
    // Every card in hand is a toggle button named in words.
    for (const code of await p.locator('#my-hand .card').evaluateAll((els) => els.map((e) => e.getAttribute('data-card')!))) {
      const button = p.getByRole('button', { name: cardName(code), exact: true });
      await expect(button).toHaveAttribute('aria-pressed', 'false');
    }
  }

  let sawHearts = false;
  let turns = 0;
  for (; turns < 60; turns++) {
    if ((await alice.page.locator('#game-over').count()) > 0) break;
    await expect.poll(async () => (await myTurn(alice.page)) || (await myTurn(bob.page)) || (await alice.page.locator('#game-over').count()) > 0).toBe(true);
    if ((await alice.page.locator('#game-over').count()) > 0) break;
    const mover = (await myTurn(alice.page)) ? alice.page : bob.page;
    const other = mover === alice.page ? bob.page : alice.page;
    await expect(mover.locator('#announcer')).toContainText('Your turn');
    sawHearts ||= (await mover.getByRole('button', { name: /of hearts/ }).count()) > 0;

    const handBefore = await mover.locator('#my-hand .card').count();
    const stockBefore = await mover.locator('#stock-count').innerText();
    const heard = await other.locator('#announcer').innerText();
    await playTurnByKeyboard(mover, turns);

    // The turn passed (or the game ended), the card left the hand, and the opponent heard
    // the move by the mover's name.
    await expect(mover.locator('#turn-indicator[data-turn="you"], #pending-move')).toHaveCount(0);
    if ((await mover.locator('#game-over').count()) > 0) break;
    // The keyboard player keeps their place: the focus is on the hand (or on the turn status
    // when the hand is empty until the next deal), never dropped to the page's body.
    await expect(mover.locator('#my-hand :focus, #turn-indicator:focus')).toHaveCount(1);
    expect(await mover.evaluate(() => document.activeElement !== null && document.activeElement !== document.body)).toBe(true);
    const handAfter = await mover.locator('#my-hand .card').count();
    const stockAfter = await mover.locator('#stock-count').innerText();
    expect(handAfter === handBefore - 1 || stockAfter !== stockBefore).toBe(true);
    await expect(other.locator('#announcer')).not.toHaveText(heard);
    // In Casino the turn always alternates, the next deal included.
    await expect(other.locator('#turn-indicator[data-turn="you"], #game-over')).toHaveCount(1);
    await expect(other.locator('#announcer')).toContainText(
      new RegExp(`^${names.get(mover)} (trailed|captured|swept|built|raised|added)`),
    );
  }
  expect(turns).toBeGreaterThanOrEqual(6);
  expect(sawHearts).toBe(true);

  // The single hand ends the game; the live region says so.
  for (const p of [alice.page, bob.page]) {
    await expect(p.locator('#game-over')).toBeVisible();
    await expect(p.locator('#announcer')).toContainText('Hand 1 over');
    await expect(p.locator('h1')).toHaveCount(1);
  }
  expect(errors).toEqual([]);
  await alice.context.close();
  await bob.context.close();
});
