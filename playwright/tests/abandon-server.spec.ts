// Seed 20.2 against the real server, its durations shrunk through its own settings (a server of
// this spec's own): a player closes the tab; the opponent sees the banner and then "Opponent has
// abandoned the game"; "Claim victory" ends the game for both, the returning player sees the
// result. Second run: the player waits, the opponent returns, and play goes on.
import { test, expect } from '@playwright/test';
import { serverForSpec } from '../server';
import { myTurn, newPlayer, playTurn, seatTwo } from './helpers';

const server = serverForSpec(
  test,
  {
    CASINO_HEARTBEAT_CHECK_MS: '100',
    CASINO_TEMPORARILY_DISCONNECTED_MS: '1500',
    CASINO_ABANDON_AFTER_MS: '3000',
    CASINO_RETURN_WINDOW_MS: '120000',
  },
  'casino-server-abandon.log',
);

test('the opponent abandons and a claim of victory ends the game for both', async ({ browser }) => {
  test.setTimeout(60_000);
  const alice = await newPlayer(browser, server().baseUrl);
  const bob = await newPlayer(browser, server().baseUrl);
  const code = await seatTwo(alice.page, bob.page);
  const a = alice.page;

  await bob.page.close();
  await expect(a.locator('#opponent-status')).not.toHaveAttribute('data-state', 'connected');
  await expect(a.locator('#opponent-banner')).toBeVisible({ timeout: 10_000 });
  await expect(a.locator('#abandoned-dialog')).toContainText('Opponent has abandoned the game', {
    timeout: 10_000,
  });
  await a.locator('#claim-victory').click();
  await expect(a.locator('#game-over')).toBeVisible();
  await expect(a.locator('#game-result')).toHaveText('You win!');

  // Bob comes back within the window and sees the final result.
  const back = await bob.context.newPage();
  await back.goto(`/room/${code}`);
  await expect(back.locator('#game-over')).toBeVisible();
  await expect(back.locator('#game-over')).toContainText('Victory was claimed');
  await alice.context.close();
  await bob.context.close();
});

test('the player waits, the opponent returns, and play goes on', async ({ browser }) => {
  test.setTimeout(60_000);
  const alice = await newPlayer(browser, server().baseUrl);
  const bob = await newPlayer(browser, server().baseUrl);
  const code = await seatTwo(alice.page, bob.page);
  const a = alice.page;

  await bob.page.close();
  await expect(a.locator('#abandoned-dialog')).toBeVisible({ timeout: 10_000 });
  await a.locator('#abandon-wait').click();
  await expect(a.locator('#abandoned-dialog')).toHaveCount(0);
  await expect(a.locator('#opponent-banner')).toBeVisible();
  await expect(a.locator('#table-screen')).toBeVisible();

  const back = await bob.context.newPage();
  await back.goto(`/room/${code}`);
  await expect(back.locator('#table-screen')).toBeVisible();
  await expect(a.locator('#opponent-notice')).toHaveText('Opponent reconnected');
  await expect(a.locator('#opponent-banner')).toHaveCount(0);
  await expect(a.locator('#opponent-status')).toHaveAttribute('data-state', 'connected');

  // The game goes on: whoever is to move plays, and the turn passes to the other.
  const [mover, other] = (await myTurn(a)) ? [a, back] : [back, a];
  await expect.poll(() => myTurn(mover)).toBe(true);
  await playTurn(mover);
  await expect.poll(() => myTurn(other), { timeout: 10_000 }).toBe(true);
  await alice.context.close();
  await bob.context.close();
});
