// Smoke test: the server serves the wasm client, which boots and renders cards.
import { test, expect } from './fixtures';

const RANKS = ['A', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K'];
const RED_SUITS = ['♥', '♦'];
const BLACK_SUITS = ['♠', '♣'];

test('home page loads the wasm app and shows five sample cards', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  await page.goto('/');
  // The heading is rendered by the wasm app: index.html itself only has an empty #main.
  await expect(page.getByRole('heading', { name: 'Casino Online' })).toBeVisible();

  const cards = page.locator('#sample-hand .card');
  await expect(cards).toHaveCount(5);
  for (const card of await cards.all()) {
    const rank = (await card.locator('.rank').innerText()).trim();
    const suit = (await card.locator('.suit').innerText()).trim();
    expect(RANKS, `rank of a sample card`).toContain(rank);
    expect([...RED_SUITS, ...BLACK_SUITS], `suit of a sample card`).toContain(suit);
    if (RED_SUITS.includes(suit)) {
      await expect(card).toHaveClass(/\bred\b/);
    } else {
      await expect(card).not.toHaveClass(/\bred\b/);
    }
  }
  expect(errors, 'errors in the browser console').toEqual([]);
});

test('a client-side route such as /room/ABCDEF serves the app shell', async ({ page }) => {
  const response = await page.goto('/room/ABCDEF');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-type']).toContain('text/html');
  await expect(page).toHaveTitle('Casino Online');
  // The wasm app boots there too and renders into #main.
  await expect(page.locator('#main > *').first()).toBeVisible();
});

test('the server answers /healthz', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.ok()).toBeTruthy();
});
