// axe (WCAG 2 A/AA rules) finds no violation of any impact on the home page with its game
// options, its checked "Resume a game" list (a live entry, then one the server could not be asked
// about) and a finished room's link, at a phone size and a desktop size. With
// CASINO_SCREENSHOTS=1 it also refreshes docs/screenshots/home-*.png.
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { newPlayer } from './helpers';

const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];

/// Runs axe on `page` at both sizes (a screenshot of each, as `screen`, when asked); fails with
/// each violation's rule and elements.
async function expectNoViolations(page: Page, screen: string, shot?: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const results = await new AxeBuilder({ page }).analyze();
    const found = results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
    expect(found, `axe on ${screen} at ${size.name} size`).toEqual([]);
    expect(results.passes.map((p) => p.id)).toContain('color-contrast');
    const undecided = results.incomplete
      .filter((v) => v.id === 'color-contrast')
      .flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.any.map((a) => a.message).join('; ')}`));
    expect(undecided, `contrast undecided on ${screen} at ${size.name} size`).toEqual([]);
    if (shot && process.env.CASINO_SCREENSHOTS) {
      await page.screenshot({ path: path.join(SHOTS, `${shot}-${size.name}.png`), fullPage: true });
    }
  }
}

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
