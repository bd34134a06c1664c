// A finished room's link tells why its game ended in the words that fit, against a server with
// shrunken durations (its own): a claim over a player who closed the tab says "was away too
// long", not "left"; a game that ended with the return window says "did not come back in time".
// (A player who pressed Leave is home-remember.spec.ts's.)
import { test, expect } from '@playwright/test';
import { serverForSpec } from '../server';
import { newPlayer, seatTwo } from './helpers';

const server = serverForSpec(
  test,
  {
    CASINO_HEARTBEAT_CHECK_MS: '100',
    CASINO_TEMPORARILY_DISCONNECTED_MS: '1000',
    CASINO_ABANDON_AFTER_MS: '2000',
    CASINO_RETURN_WINDOW_MS: '8000',
  },
  'casino-server-home-finished.log',
);

test('a claim after an absence reads "away too long"; the end of the window "did not come back"', async ({ browser }) => {
  test.setTimeout(90_000);
  const alice = await newPlayer(browser, server().baseUrl);
  const bob = await newPlayer(browser, server().baseUrl);
  const carol = await newPlayer(browser, server().baseUrl);
  const a = alice.page;

  // Bob closes his tab; Alice claims once he has been gone long enough.
  const claimed = await seatTwo(a, bob.page);
  await bob.page.close();
  await expect(a.locator('#abandoned-dialog')).toBeVisible({ timeout: 10_000 });
  await a.locator('#claim-victory').click();
  await expect(a.locator('#game-over')).toBeVisible();
  await carol.page.goto(`/room/${claimed}`);
  const reason = carol.page.locator('#finished-reason');
  await expect(reason).toHaveAttribute('data-reason', 'victory-claimed');
  await expect(reason).toHaveText('Victory was claimed by Alice: Bob was away too long.');
  const facts = await (await carol.page.request.get(`/api/rooms/${claimed}`)).json();
  expect(facts.left).toBeUndefined();

  // A second game: Bob closes his tab again and nobody claims; his return window ends it.
  const bobAgain = await bob.context.newPage();
  const expired = await seatTwo(a, bobAgain);
  await bobAgain.close();
  await expect(a.locator('#game-over')).toBeVisible({ timeout: 20_000 });
  await carol.page.goto(`/room/${expired}`);
  await expect(reason).toHaveAttribute('data-reason', 'did-not-return');
  await expect(reason).toHaveText('Bob did not come back in time.');
  await expect(carol.page.locator('#finished-winner')).toHaveText('Alice won');
  for (const p of [alice, bob, carol]) await p.context.close();
});
