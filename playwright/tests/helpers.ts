// Shared steps of the game specs: seat two players and play turns through the UI.
import { type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expect } from './fixtures';

export interface Player {
  context: BrowserContext;
  page: Page;
}

/// Opens a fresh context (its own storage) on the home page.
export async function newPlayer(browser: Browser, baseURL: string): Promise<Player> {
  const context = await browser.newContext({ baseURL, viewport: { width: 900, height: 800 } });
  const page = await context.newPage();
  return { context, page };
}

/// Two players, each in a fresh context on `baseURL`: their pages, the page errors seen (a spec
/// ends by expecting none), and `close` for both contexts.
export async function twoPlayers(browser: Browser, baseURL: string) {
  const alice = await newPlayer(browser, baseURL);
  const bob = await newPlayer(browser, baseURL);
  const errors: string[] = [];
  for (const p of [alice.page, bob.page]) p.on('pageerror', (e) => errors.push(String(e)));
  const close = async () => {
    await alice.context.close();
    await bob.context.close();
  };
  return { a: alice.page, b: bob.page, errors, close };
}

/// Waits until exactly one of the two pages has the turn.
export async function oneHasTheTurn(a: Page, b: Page): Promise<void> {
  await expect
    .poll(async () => (await a.locator('#turn-indicator[data-turn="you"]').count()) + (await b.locator('#turn-indicator[data-turn="you"]').count()))
    .toBe(1);
}

/// Alice creates a single-hand room (a game to 21 with `singleHand` false), Bob joins it
/// through its /room/CODE link.
export async function seatTwo(alice: Page, bob: Page, singleHand = true): Promise<string> {
  await alice.goto('/');
  await alice.locator('#player-name').fill('Alice');
  if (singleHand) await alice.locator('#single-hand').check();
  await alice.locator('#create-room').click();
  const code = (await alice.locator('#room-code-display').innerText()).trim();
  expect(code).toMatch(/^[A-Z0-9]{6}$/);
  await expect(alice).toHaveURL(new RegExp(`/room/${code}$`));
  await bob.goto(`/room/${code}`);
  await expect(bob.locator('#room-code')).toHaveValue(code);
  await bob.locator('#player-name').fill('Bob');
  await bob.locator('#join-room').click();
  for (const p of [alice, bob]) {
    await expect(p.locator('#table-screen')).toBeVisible();
    await expect(p.locator('#connection-status')).toHaveAttribute('data-state', 'connected');
  }
  return code;
}

/// Whether it is this page's turn (and no move of its own is pending).
export async function myTurn(page: Page): Promise<boolean> {
  return (
    (await page.locator('#turn-indicator[data-turn="you"]').count()) > 0 &&
    (await page.locator('#pending-move').count()) === 0 &&
    (await page.locator('.room[data-phase="playing"]').count()) > 0
  );
}

/// Plays one legal move: the first playable card with the table cards its hint names, then
/// the first move the composer offers.
export async function playTurn(page: Page): Promise<void> {
  const card = page.locator('#my-hand .card[data-playable="true"]').first();
  const loose = ((await card.getAttribute('data-hint-loose')) ?? '').split(' ').filter(Boolean);
  const builds = ((await card.getAttribute('data-hint-builds')) ?? '').split(' ').filter(Boolean);
  await card.click();
  for (const c of loose) await page.locator(`#table-cards > .card[data-card="${c}"]`).click();
  for (const b of builds) await page.locator(`#table-cards .build[data-build="${b}"]`).click();
  await page.locator('.move-option').first().click();
}

/// Whether `page` shows a hand summary whose "Next hand" it has not pressed yet, between two
/// hands (after the last hand of a game the summary is left for the spec to close).
async function nextHandPending(page: Page): Promise<boolean> {
  return (
    (await page.locator('.room[data-phase="playing"] #hand-summary-next:not([aria-disabled="true"])').count()) > 0
  );
}

/// Presses "Next hand" on every page between hands that has not yet: the next hand starts
/// once both players have. Whether it pressed any.
export async function pressNextHand(players: Page[]): Promise<boolean> {
  let pressed = false;
  for (const p of players) {
    if (!(await nextHandPending(p))) continue;
    // The server may start the hand (and close the dialog) meanwhile: then there is nothing
    // to press.
    await p
      .locator('#hand-summary-next:not([aria-disabled="true"])')
      .click({ timeout: 2_000 })
      .then(() => (pressed = true))
      .catch(() => {});
  }
  return pressed;
}

/// Plays the player to move until `done()` or the game ends; between hands of a longer game
/// both players press "Next hand" so that play goes on.
export async function playUntil(players: Page[], done: () => Promise<boolean>, maxTurns = 200): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (await done()) return;
    await pressNextHand(players);
    let moved = false;
    for (const p of players) {
      if (await myTurn(p)) {
        await playTurn(p);
        // The move is done when the turn passed, or when it ended a hand of a longer game
        // (the hand summary opens and the same player may lead the next hand).
        await expect
          .poll(async () => (await p.locator('#hand-summary').count()) > 0 ||
            (await p.locator('#turn-indicator[data-turn="you"], #pending-move').count()) === 0)
          .toBe(true);
        moved = true;
        break;
      }
    }
    if (!moved) {
      // Until someone is to move, a summary waits for "Next hand", or the game is done.
      await expect
        .poll(
          async () =>
            (await done()) ||
            (await Promise.all(players.map(myTurn))).some(Boolean) ||
            (await Promise.all(players.map(nextHandPending))).some(Boolean),
        )
        .toBe(true);
    }
  }
  throw new Error(`no end after ${maxTurns} turns`);
}

export async function handCards(page: Page): Promise<string[]> {
  return page.locator('#my-hand .card').evaluateAll((els) => els.map((e) => e.getAttribute('data-card') ?? ''));
}

/// Plays a game to 21 until its first hand ends: the hand summary is open on both pages, and
/// neither has pressed "Next hand".
export async function playFirstHand(alice: Page, bob: Page): Promise<void> {
  await playUntil([alice, bob], async () => (await alice.locator('#hand-summary').count()) > 0, 300);
  for (const p of [alice, bob]) await expect(p.locator('#hand-summary')).toBeVisible();
}
