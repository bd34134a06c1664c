// axe (WCAG 2 A/AA rules) finds no violation of any impact on the home page with its game
// options, its checked "Resume a game" list (a live entry, then one the server could not be asked
// about) and a finished room's link, at a phone size and a desktop size. With
// CASINO_SCREENSHOTS=1 it also refreshes docs/screenshots/home-*.png.
import { test, expect } from './fixtures';
import { newPlayer } from './helpers';
import { expectNoViolations } from './axe';

test('axe finds no violation on the home page, its options, its resume list and a finished room', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  const b = bob.page;

  await a.goto('/');
  await expect(a.locator('#create-room')).toBeVisible();
  await expectNoViolations(a, 'home, first visit');
  await a.locator('#player-name').fill('Alice');
  await a.locator('#length-11').check();
  await a.locator('#no-sweeps').check();
  await a.locator('#length-11').focus();
  await expectNoViolations(a, 'home, options chosen', 'home');

  await a.locator('#create-room').click();
  const code = (await a.locator('#room-code-display').innerText()).trim();
  await a.goto('/');
  await expect(a.locator(`.resume-entry[data-room="${code}"]`)).toHaveAttribute('data-state', 'waiting');
  await expectNoViolations(a, 'home with a game to resume', 'home-resume');
  await a.route('**/api/session', (route) => route.abort());
  await a.reload();
  await expect(a.locator(`.resume-entry[data-room="${code}"]`)).toHaveAttribute('data-state', 'unchecked');
  await expectNoViolations(a, 'home with a game not checked');
  await a.unroute('**/api/session');

  // Bob joins; Alice comes back, leaves, and Bob claims: the link shows the result.
  await b.goto(`/room/${code}`);
  await b.locator('#player-name').fill('Bob');
  await b.locator('#join-room').click();
  await expect(b.locator('#table-screen')).toBeVisible();
  await a.goto(`/room/${code}`);
  await expect(a.locator('#table-screen')).toBeVisible();
  await a.locator('#leave-room').click();
  await a.locator('#confirm-leave').click();
  await expect(a).toHaveURL(/\/$/);
  await b.locator('#claim-victory').click();
  await expect(b.locator('#game-over')).toBeVisible();
  await a.goto(`/room/${code}`);
  await expect(a.locator('#finished-reason')).toHaveText('Victory was claimed by Bob: Alice left the game.');
  await expect(a.locator('#finished-rules')).toHaveText('Game to 11 · no sweeps');
  await expectNoViolations(a, "a finished room's link", 'home-finished');
  await alice.context.close();
  await bob.context.close();
});
