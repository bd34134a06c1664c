// "How to play": the rules in a dialog, opened from the home page and from the table; it has a
// heading, closes with Escape or its Close button, and gives the focus back to its button.
import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { newPlayer, seatTwo } from './helpers';

async function focusedId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.id ?? null);
}

async function expectRules(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'How to play Casino' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText('How to play Casino');
  // The rules in players' words: every move, the owner's duty, sweeps and the points.
  for (const words of ['Capture', 'Build', 'Raise a build', 'Add to a build', 'Trail', 'may not trail', 'sweep', '21', '10♦ (big casino) 2']) {
    await expect(dialog).toContainText(words);
  }
  // The focus moved into the dialog.
  await expect.poll(() => focusedId(page)).toBe('how-to-play-close');
}

test('the rules open from the home page and close with Escape, the focus back on the button', async ({ browser, baseURL }) => {
  const { context, page } = await newPlayer(browser, baseURL!);
  await page.goto('/');
  const opener = page.getByRole('button', { name: 'How to play' });
  await expect(opener).toHaveAttribute('aria-expanded', 'false');
  // Behind the open dialog the page is inert (out of the accessibility tree): found by its id.
  const behind = page.locator('#how-to-play');
  await opener.click();
  await expectRules(page);
  await expect(behind).toHaveAttribute('aria-expanded', 'true');
  // A modal keeps the focus in: Tab and Shift+Tab stay on Close.
  await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe('how-to-play-close');
  await page.keyboard.press('Shift+Tab');
  expect(await focusedId(page)).toBe('how-to-play-close');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect.poll(() => focusedId(page)).toBe('how-to-play');
  // With the keyboard alone: Enter on the focused button opens it again.
  await page.keyboard.press('Enter');
  await expectRules(page);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await context.close();
});

test('the rules open at the table and close with the Close button', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  await seatTwo(alice.page, bob.page);
  const page = alice.page;
  await page.locator('#how-to-play').click();
  await expectRules(page);
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect.poll(() => focusedId(page)).toBe('how-to-play');
  // The game went on underneath.
  await expect(page.locator('#table-screen')).toBeVisible();
  await alice.context.close();
  await bob.context.close();
});
