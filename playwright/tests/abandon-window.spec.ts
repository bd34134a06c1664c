// The Wait path to its end, against a real server with shrunken durations (through its own
// settings): Bob closes his tab, Alice waits; "Claim victory" stays on the table, also after a
// reload; when Bob's return window ends the game ends by itself, Alice winning, and Bob's link
// says the session has expired.
import { test, expect } from '@playwright/test';
import { serverForSpec } from '../server';
import { newPlayer, seatTwo } from './helpers';

const server = serverForSpec(
  test,
  {
    CASINO_HEARTBEAT_CHECK_MS: '100',
    CASINO_TEMPORARILY_DISCONNECTED_MS: '1000',
    CASINO_ABANDON_AFTER_MS: '2000',
    CASINO_RETURN_WINDOW_MS: '9000',
  },
  'casino-server-window.log',
);

test('after Wait the claim stays offered and the end of the window ends the game', async ({ browser }) => {
  test.setTimeout(60_000);
  const alice = await newPlayer(browser, server().baseUrl);
  const bob = await newPlayer(browser, server().baseUrl);
  const code = await seatTwo(alice.page, bob.page);
  const a = alice.page;

  await bob.page.close();
  // A closed tab reads "disconnected" at once (R9), not "reconnecting".
  await expect(a.locator('#opponent-status')).toHaveAttribute('data-state', 'disconnected', { timeout: 5_000 });
  await expect(a.locator('#abandoned-dialog')).toContainText('Opponent has abandoned the game', { timeout: 10_000 });
  await a.locator('#abandon-wait').click();
  await expect(a.locator('#abandoned-dialog')).toHaveCount(0);
  await expect(a.locator('#waiting-bar #claim-victory')).toBeVisible();

  // A reload: the offer comes back from the server, still waiting, the claim still there.
  await a.reload();
  await expect(a.locator('#table-screen')).toBeVisible();
  await expect(a.locator('#waiting-bar')).toContainText('Waiting for Bob');
  await expect(a.locator('#waiting-bar #claim-victory')).toBeVisible();
  await expect(a.locator('#abandoned-dialog')).toHaveCount(0);

  // Bob's window ends: the game is over for both, Alice the winner.
  await expect(a.locator('#game-over')).toBeVisible({ timeout: 15_000 });
  await expect(a.locator('#game-result')).toHaveText('You win!');
  await expect(a.locator('#end-reason')).toHaveAttribute('data-reason', 'did-not-return');
  await expect(a.locator('#game-over')).toContainText('did not come back in time.');
  const back = await bob.context.newPage();
  await back.goto(`/room/${code}`);
  await expect(back.locator('#session-expired')).toContainText('This game session has expired', { timeout: 10_000 });
  await alice.context.close();
  await bob.context.close();
});
