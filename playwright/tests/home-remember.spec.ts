// The home page remembers the player: the name typed once is prefilled after a reload and on an
// invitation link, edits replace it (trimmed), and creating or joining uses it; the game options
// offered (to 21, to 11, one hand; no sweeps) make a room with those variants and are kept for
// next time. "Resume a game" lists only the games the server still keeps a seat in — a refused
// token (bogus, or the seat of a player who pressed Leave) never shows and is forgotten, one the
// server cannot be asked about shows as "not checked" — and "Forget" drops an entry. The link of
// a room whose player pressed Leave says that player left.
import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { twoPlayers, seatTwo } from './helpers';

const stored = (page: Page, key: string) => page.evaluate((k) => localStorage.getItem(k), key);

async function roomFacts(page: Page, code: string) {
  const res = await page.request.get(`/api/rooms/${code}`);
  expect(res.status()).toBe(200);
  return res.json();
}

async function createdCode(page: Page): Promise<string> {
  await page.locator('#create-room').click();
  const code = (await page.locator('#room-code-display').innerText()).trim();
  expect(code).toMatch(/^[A-Z0-9]{6}$/);
  return code;
}

test('the name is remembered and used; the chosen variants make the room and are kept', async ({ browser, baseURL }) => {
  const { a, b, errors, close } = await twoPlayers(browser, baseURL!);
  await a.goto('/');
  await expect(a.locator('#player-name')).toHaveValue('');
  await expect(a.locator('#create-room')).toBeDisabled();
  await a.locator('#player-name').fill('  Alice  ');
  await expect.poll(() => stored(a, 'casino_player_name')).toBe('Alice');
  await a.reload();
  await expect(a.locator('#player-name')).toHaveValue('Alice');

  // The standard game is the default; the options are labelled controls in named groups.
  const length = a.getByRole('group', { name: 'Game length' });
  await expect(length.getByRole('radio', { name: 'To 21 points (standard)' })).toBeChecked();
  await length.getByRole('radio', { name: 'To 11 points' }).check();
  await a.getByRole('group', { name: 'Scoring' }).getByRole('checkbox', { name: /No sweeps/ }).check();
  // Created with the remembered name, without typing it again.
  const code = await createdCode(a);
  const facts = await roomFacts(a, code);
  expect(facts.variants).toEqual(['V-TARGET-11', 'V-NO-SWEEPS']);
  expect(facts.players).toEqual([{ seat: 0, name: 'Alice' }]);

  // Bob typed his name once; the invitation link has it already, and joining uses it.
  await b.goto('/');
  await b.locator('#player-name').fill('Bob');
  await b.goto(`/room/${code}`);
  await expect(b.locator('#room-code')).toHaveValue(code);
  await expect(b.locator('#player-name')).toHaveValue('Bob');
  await b.locator('#join-room').click();
  for (const p of [a, b]) await expect(p.locator('#table-screen')).toBeVisible();
  expect((await roomFacts(a, code)).players).toEqual([
    { seat: 0, name: 'Alice' },
    { seat: 1, name: 'Bob' },
  ]);

  // Back home for a new room: the name and the last choices are there.
  await a.goto('/');
  await expect(a.locator('#player-name')).toHaveValue('Alice');
  await expect(a.locator('#length-11')).toBeChecked();
  await expect(a.locator('#no-sweeps')).toBeChecked();
  // An edit replaces the name (trimmed); emptying the field forgets it.
  await a.locator('#player-name').fill('Alicia ');
  await a.reload();
  await expect(a.locator('#player-name')).toHaveValue('Alicia');
  await a.locator('#player-name').fill('');
  await expect.poll(() => stored(a, 'casino_player_name')).toBeNull();
  await a.reload();
  await expect(a.locator('#player-name')).toHaveValue('');

  // "One hand" keeps the id it always had.
  await a.locator('#player-name').fill('Alice');
  await a.locator('#single-hand').check();
  await a.locator('#no-sweeps').uncheck();
  const short = await createdCode(a);
  expect((await roomFacts(a, short)).variants).toEqual(['V-SINGLE-HAND']);
  expect(errors).toEqual([]);
  await close();
});

test('Resume lists only live games, forgets refused ones unseen, and Forget drops one', async ({ browser, baseURL }) => {
  const { a, errors, close } = await twoPlayers(browser, baseURL!);
  // Every entry the list ever shows is recorded, so that a dead one that flashed up is caught.
  await a.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { seenRooms: string[] }).seenRooms = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.resume-entry')) {
        const room = el.getAttribute('data-room');
        if (room && !seen.includes(room)) seen.push(room);
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await a.goto('/');
  await a.locator('#player-name').fill('Alice');
  const code = await createdCode(a);

  // A session the server refuses (its token is no token at all), stored beside the live one.
  await a.evaluate(() =>
    localStorage.setItem(
      'casino_session_ABCDEF',
      JSON.stringify({ room: 'ABCDEF', seat: 0, player_id: 1, token: 'bogus', expires_at: Date.now() + 86_400_000, name: 'Ghost' }),
    ),
  );
  await a.goto('/');
  const live = a.locator(`.resume-entry[data-room="${code}"]`);
  await expect(live).toHaveAttribute('data-state', 'waiting');
  await expect(live).toContainText(`Room ${code}`);
  await expect(live).toContainText('Alice · waiting for an opponent');
  await expect(a.locator('.resume-entry')).toHaveCount(1);
  await expect.poll(() => stored(a, 'casino_session_ABCDEF')).toBeNull();
  expect(await a.evaluate(() => (window as unknown as { seenRooms: string[] }).seenRooms)).toEqual([code]);

  // The server cannot be asked: the entry stays, marked as not checked.
  await a.route('**/api/session', (route) => route.abort());
  await a.reload();
  await expect(live).toHaveAttribute('data-state', 'unchecked');
  await expect(live).toContainText('not checked');
  await a.unroute('**/api/session');
  await a.reload();
  await expect(live).toHaveAttribute('data-state', 'waiting');

  // Forget: the entry and its stored session go; the focus moves on to the name.
  await a.getByRole('button', { name: `Forget room ${code}` }).click();
  await expect(a.locator('#resume-list')).toHaveCount(0);
  expect(await stored(a, `casino_session_${code}`)).toBeNull();
  await expect(a.locator('#player-name')).toBeFocused();
  await a.reload();
  await expect(a.locator('#create-room')).toBeEnabled();
  await expect(a.locator('#resume-list')).toHaveCount(0);
  expect(errors).toEqual([]);
  await close();
});

test('a player who left is not offered the game again, and its link says they left', async ({ browser, baseURL }) => {
  const { a, b, errors, close } = await twoPlayers(browser, baseURL!);
  const code = await seatTwo(a, b);
  // Alice's token, as another tab or device of hers would still hold it.
  const token = await stored(a, `casino_session_${code}`);
  expect(token).not.toBeNull();
  await a.locator('#leave-room').click();
  await a.locator('#confirm-leave').click();
  await expect(a).toHaveURL(/\/$/);
  await b.locator('#claim-victory').click();
  await expect(b.locator('#game-over')).toBeVisible();

  // The server refuses the seat of a player who left: never listed, and forgotten.
  await a.evaluate(([key, value]) => localStorage.setItem(key, value), [`casino_session_${code}`, token!]);
  await a.goto('/');
  await expect.poll(() => stored(a, `casino_session_${code}`)).toBeNull();
  await expect(a.locator('#resume-list')).toHaveCount(0);

  // The room's link: Alice left, she did not "abandon" it.
  await a.goto(`/room/${code}`);
  await expect(a.locator('#finished-winner')).toHaveText('Bob won');
  await expect(a.locator('#finished-reason')).toHaveAttribute('data-reason', 'opponent-left');
  await expect(a.locator('#finished-reason')).toHaveText('Victory was claimed by Bob: Alice left the game.');
  await expect(a.locator('#finished-rules')).toHaveText('One hand');
  expect((await roomFacts(a, code)).left).toEqual([0]);

  // Bob's seat is still his: his list says the game is over and whom it was against.
  await b.goto('/');
  const entry = b.locator(`.resume-entry[data-room="${code}"]`);
  await expect(entry).toHaveAttribute('data-state', 'over');
  await expect(entry).toContainText('Bob against Alice · game over');
  expect(errors).toEqual([]);
  await close();
});
