// The player's side of inviting someone: the waiting room gives the full invitation link with Copy
// (and Share where the browser has a share sheet) and says nothing about an opponent who has not
// joined yet; the invitation link opens on the Join form; the tab title says whose turn it is;
// the conflict dialog has no "Connecting…" spinner behind it.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { myTurn, newPlayer, playTurn, seatTwo } from './helpers';

/// Creates a room as Alice and returns its code, once the waiting room shows.
async function createRoom(page: Page): Promise<string> {
  await page.goto('/');
  await page.locator('#player-name').fill('Alice');
  await page.locator('#create-room').click();
  await expect(page.locator('.room')).toHaveAttribute('data-phase', 'waiting');
  const code = (await page.locator('#room-code-display').innerText()).trim();
  expect(code).toMatch(/^[A-Z0-9]{6}$/);
  return code;
}

test('the waiting room shows the absolute link, copies it, and no opponent status', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const code = await createRoom(page);
  const link = `${baseURL}/room/${code}`;
  expect(link).toMatch(/^https?:\/\/[^/]+\/room\/[A-Z0-9]{6}$/);

  await expect(page.locator('#invite-link')).toHaveValue(link);
  // Nobody has joined: nobody to call connected or disconnected.
  await expect(page.locator('#waiting-room')).toBeVisible();
  await expect(page.locator('#opponent-status')).toHaveCount(0);
  await expect(page.getByText(/disconnected|No opponent yet/)).toHaveCount(0);
  // Share only where the browser has a share sheet (headless Chromium on Linux has none).
  const canShare = await page.evaluate(() => typeof navigator.share === 'function');
  await expect(page.locator('#share-link')).toHaveCount(canShare ? 1 : 0);

  await page.locator('#copy-link').click();
  await expect(page.locator('#copy-feedback')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // Once Bob joins through the link, Alice sees him.
  const bob = await newPlayer(browser, baseURL!);
  await bob.page.goto(`/room/${code}`);
  await bob.page.locator('#player-name').fill('Bob');
  await bob.page.locator('#join-room').click();
  await expect(page.locator('#opponent-status')).toHaveAttribute('data-state', 'connected');
  await expect(page.locator('#opponent-status')).toHaveText('Bob: connected');
  await context.close();
  await bob.context.close();
});

test('Share hands the invitation link to the Web Share API where it exists', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  await context.addInitScript(() => {
    const shared: unknown[] = [];
    (window as unknown as { shared: unknown[] }).shared = shared;
    Object.defineProperty(navigator, 'share', {
      configurable: true,
      value: (data: unknown) => {
        shared.push(data);
        return Promise.resolve();
      },
    });
  });
  const page = await context.newPage();
  const code = await createRoom(page);
  await page.locator('#share-link').click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { shared: { url: string }[] }).shared.map((d) => d.url)))
    .toEqual([`${baseURL}/room/${code}`]);
  await context.close();
});

test('an invitation link opens on the Join form, the home page on Create', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const code = await createRoom(alice.page);
  const bob = await newPlayer(browser, baseURL!);
  await bob.page.goto(`/room/${code}`);
  await expect(bob.page.locator('#room-code')).toHaveValue(code);
  await expect(bob.page.locator('.home-actions h2')).toHaveText(['Join a friend', 'New game']);
  await bob.page.goto('/');
  await expect(bob.page.locator('.home-actions h2')).toHaveText(['New game', 'Join a friend']);
  await alice.context.close();
  await bob.context.close();
});

test('the tab title says "Your turn" to the player to move only', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  await seatTwo(alice.page, bob.page);
  await expect.poll(async () => (await myTurn(alice.page)) || (await myTurn(bob.page))).toBe(true);
  const mover = (await myTurn(alice.page)) ? alice.page : bob.page;
  const other = mover === alice.page ? bob.page : alice.page;
  await expect(mover).toHaveTitle(/^Your turn · Casino/);
  await expect(other).toHaveTitle(/^Casino/);

  // After the move the turn, and the title, pass to the other player.
  await playTurn(mover);
  await expect.poll(() => myTurn(other), { timeout: 10_000 }).toBe(true);
  await expect(other).toHaveTitle(/^Your turn · Casino/);
  await expect(mover).toHaveTitle(/^Casino/);
  await alice.context.close();
  await bob.context.close();
});

test('the conflict dialog shows no "Connecting…" spinner behind it', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const code = await seatTwo(alice.page, bob.page);
  const fresh = await alice.context.newPage();
  await fresh.goto(`/room/${code}`);
  await expect(fresh.locator('#conflict-dialog')).toBeVisible();
  await expect(fresh.getByText('Connecting…')).toHaveCount(0);
  await expect(fresh.locator('.spinner')).toHaveCount(0);
  await fresh.locator('#takeover').click();
  await expect(fresh.locator('#connection-status')).toHaveAttribute('data-state', 'connected');
  await alice.context.close();
  await bob.context.close();
});
