// Delivery of the built client: the page loads a content-hashed wasm and glue, sent
// precompressed (brotli or gzip) with a year of immutable caching, while index.html is
// revalidated on every load (no-cache) so a deploy is seen at once.
import type { Response } from '@playwright/test';
import { test, expect } from './fixtures';

const HASHED_WASM = /\/client_bg-[0-9a-f]{16}\.wasm$/;
const HASHED_JS = /\/client-[0-9a-f]{16}\.js$/;
const HASHED_CSS = /\/style-[0-9a-f]{16}\.css$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

test('the page loads its hashed wasm, glue and CSS precompressed and cached for good', async ({ page }) => {
  const responses: Response[] = [];
  page.on('response', (r) => responses.push(r));
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text());
  });

  const index = await page.goto('/');
  expect(index?.status()).toBe(200);
  expect(index?.headers()['cache-control']).toBe('no-cache');
  expect(index?.headers()['content-type']).toContain('text/html');
  // The wasm app booted from those files.
  await expect(page.getByRole('heading', { name: 'Casino Online' })).toBeVisible();

  for (const [name, pattern, type] of [
    ['wasm', HASHED_WASM, 'application/wasm'],
    ['glue', HASHED_JS, 'javascript'],
    ['CSS', HASHED_CSS, 'text/css'],
  ] as const) {
    const response = responses.find((r) => pattern.test(new URL(r.url()).pathname));
    expect(response, `a ${name} response matching ${pattern}`).toBeTruthy();
    const headers = await response!.allHeaders();
    expect(response!.status(), name).toBe(200);
    expect(['br', 'gzip'], `${name} content-encoding`).toContain(headers['content-encoding']);
    expect(headers['content-type'], `${name} content-type`).toContain(type);
    expect(headers['cache-control'], `${name} cache-control`).toBe(IMMUTABLE);
    expect(headers['vary']?.toLowerCase(), `${name} vary`).toContain('accept-encoding');
  }
  // Served as application/wasm, the glue compiles it while it streams in: no fallback warning.
  expect(warnings.filter((w) => /instantiateStreaming|MIME/i.test(w))).toEqual([]);
});

test('index.html names only hashed files, and old names are gone', async ({ request }) => {
  const index = await request.get('/', { headers: { 'accept-encoding': 'identity' } });
  expect(index.headers()['cache-control']).toBe('no-cache');
  const html = await index.text();
  expect(html).toMatch(/\/client-[0-9a-f]{16}\.js/);
  expect(html).toMatch(/\/client_bg-[0-9a-f]{16}\.wasm/);
  expect(html).toMatch(/\/style-[0-9a-f]{16}\.css/);
  expect(html).not.toMatch(/\/(client\.js|client_bg\.wasm|style\.css)\b/);
  // The unhashed names of earlier builds are not served (not even as the app shell).
  for (const old of ['/client.js', '/client_bg.wasm', '/style.css']) {
    expect((await request.get(old)).status(), old).toBe(404);
  }
});
