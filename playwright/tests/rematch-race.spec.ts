// A rematch nobody misses, against a real server whose abandonment is shrunk to seconds so that
// a game can be ended quickly (a player closes the tab, the other claims the victory, the first
// comes back to the result): "Rematch" pressed in both pages at the same moment, twenty times in
// a row, lands both players in the same new room every time; an offer the other player answers
// with "Play again" or "No, thanks" reads as a refusal; an offer can be withdrawn; on a phone the
// game-over screen opens at its headline and the opponent's offer is in view.
import { type Browser, type Page } from '@playwright/test';
import { test, expect } from '@playwright/test';
import { serverForSpec } from '../server';
import { newPlayer, oneHasTheTurn, seatTwo } from './helpers';

const server = serverForSpec(
  test,
  {
    CASINO_HEARTBEAT_CHECK_MS: '100',
    CASINO_TEMPORARILY_DISCONNECTED_MS: '300',
    CASINO_ABANDON_AFTER_MS: '600',
    CASINO_ABANDON_CHECK_MS: '100',
    CASINO_RETURN_WINDOW_MS: '120000',
  },
  'casino-server-rematch-race.log',
);

/// The room code in a page's address.
function roomOf(page: Page): string {
  return new URL(page.url()).pathname.split('/').pop() ?? '';
}

/// Ends the game in `code` quickly: `leaver` closes its tab, `winner` claims the victory, and
/// the leaver comes back (a new tab of the same browser) to the result. The leaver's new page.
async function endByClaim(leaver: Page, winner: Page): Promise<Page> {
  const code = roomOf(winner);
  const context = leaver.context();
  await leaver.close();
  await expect(winner.locator('#abandoned-dialog')).toBeVisible({ timeout: 15_000 });
  await winner.locator('#claim-victory').click();
  await expect(winner.locator('#game-over')).toBeVisible();
  const back = await context.newPage();
  await back.goto(`/room/${code}`);
  await expect(back.locator('#game-over')).toBeVisible();
  await expect(back.locator('#rematch')).toHaveAttribute('aria-disabled', 'false');
  return back;
}

async function players(browser: Browser, size?: { width: number; height: number }) {
  const alice = await newPlayer(browser, server().baseUrl);
  const bob = await newPlayer(browser, server().baseUrl);
  if (size) await bob.page.setViewportSize(size);
  return { alice, bob };
}

test('Rematch pressed in both pages at once, twenty times: both land in the same new room', async ({ browser }) => {
  test.setTimeout(600_000);
  const { alice, bob } = await players(browser);
  let a = alice.page;
  const b = bob.page;
  await seatTwo(a, b);
  const rooms = new Set<string>([roomOf(a)]);
  for (let round = 1; round <= 20; round++) {
    a = await endByClaim(a, b);
    const before = roomOf(b);
    await Promise.all([a.locator('#rematch').click(), b.locator('#rematch').click()]);
    await expect(b, `round ${round}`).not.toHaveURL(new RegExp(`/room/${before}$`), { timeout: 15_000 });
    const code = roomOf(b);
    await expect(a, `round ${round}`).toHaveURL(new RegExp(`/room/${code}$`), { timeout: 15_000 });
    for (const p of [a, b]) {
      await expect(p.locator('#table-screen'), `round ${round}`).toBeVisible();
      await expect(p.locator('#connection-status')).toHaveAttribute('data-state', 'connected');
    }
    await oneHasTheTurn(a, b);
    expect(rooms.has(code), `round ${round} opened a room of its own`).toBe(false);
    rooms.add(code);
  }
  await alice.context.close();
  await bob.context.close();
});

test('an offer answered with "Play again" or "No, thanks" reads as a refusal; an offer can be withdrawn', async ({ browser }) => {
  test.setTimeout(240_000);
  const { alice, bob } = await players(browser);
  let a = alice.page;
  const b = bob.page;
  await seatTwo(a, b);
  a = await endByClaim(a, b);

  // Alice offers, then takes it back: Bob's offer is gone.
  await a.locator('#rematch').click();
  await expect(b.locator('#rematch-status')).toHaveText('Alice wants a rematch');
  await expect(a.locator('#rematch-withdraw')).toBeVisible();
  await a.locator('#rematch-withdraw').click();
  await expect(a.locator('#rematch-status')).toHaveText('You said no to a rematch.');
  await expect(b.locator('#rematch-status')).toHaveText('Alice does not want a rematch now.');
  await expect(b.locator('#rematch')).toHaveText('Rematch with Alice');

  // Bob offers; Alice says "No, thanks": Bob does not wait on it.
  await b.locator('#rematch').click();
  await expect(a.locator('#rematch')).toHaveText('Accept rematch with Bob');
  await a.locator('#rematch-decline').click();
  await expect(b.locator('#rematch-status')).toHaveText('Alice does not want a rematch now.');
  await expect(b.locator('#rematch-withdraw')).toHaveCount(0);
  // His offer stands: should Alice change her mind, they play again.
  await expect(a.locator('#rematch-status')).toHaveText('You said no to a rematch.');
  const finished = roomOf(b);
  await a.locator('#rematch').click();
  await expect(b).not.toHaveURL(new RegExp(`/room/${finished}$`), { timeout: 15_000 });
  await expect(a).toHaveURL(new RegExp(`/room/${roomOf(b)}$`), { timeout: 15_000 });
  await oneHasTheTurn(a, b);

  // Bob asks; Alice goes to play another game: Bob reads a refusal, not an endless wait.
  a = await endByClaim(a, b);
  await b.locator('#rematch').click();
  await expect(b.locator('#rematch-status')).toHaveText(/^Waiting for Alice to accept…/);
  await a.locator('#play-again').click();
  await expect(a.locator('#create-room')).toBeVisible();
  await expect(b.locator('#rematch-status')).toHaveText('Alice does not want a rematch now.');
  await alice.context.close();
  await bob.context.close();
});

test('on a phone the game over opens at its headline and the offer is in view', async ({ browser }) => {
  test.setTimeout(120_000);
  const { alice, bob } = await players(browser, { width: 390, height: 844 });
  let a = alice.page;
  const b = bob.page;
  await seatTwo(a, b);
  // Bob looks at the bottom of his table when the game ends.
  await b.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  a = await endByClaim(a, b);
  await expect(b.locator('#game-result')).toHaveText('You win!');
  await expect(b.locator('#game-result')).toBeInViewport();
  await a.locator('#rematch').click();
  await expect(b.locator('#rematch')).toHaveText('Accept rematch with Alice');
  await expect(b.locator('#rematch')).toBeInViewport();
  await expect(b.locator('#rematch-status')).toBeInViewport();
  await alice.context.close();
  await bob.context.close();
});
