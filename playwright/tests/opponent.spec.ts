// The opponent's move: what it put on the table stays marked until the next move, the summary
// names the cards, and an optional chime (off by default, remembered) plays on their moves.
import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { myTurn, newPlayer, playTurn, seatTwo } from './helpers';

const GLYPH = /(10|[2-9AJQK])[♠♥♦♣]/;

async function mover(pages: Page[]): Promise<Page> {
  await expect.poll(async () => (await Promise.all(pages.map(myTurn))).some(Boolean)).toBe(true);
  for (const p of pages) if (await myTurn(p)) return p;
  throw new Error('nobody to move');
}

async function tableCards(page: Page): Promise<string[]> {
  return page.locator('#table-cards [data-card]').evaluateAll((els) => els.map((e) => e.getAttribute('data-card') ?? ''));
}

async function marked(page: Page): Promise<string[]> {
  return page
    .locator('#table-cards .card[data-last-move="true"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-card') ?? ''));
}

test('the opponent\'s last move is marked and named, and the chime is off until turned on', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  // Count the tones the page starts through the Web Audio API.
  for (const p of [alice.page, bob.page]) {
    await p.addInitScript(() => {
      (window as unknown as { tones: number }).tones = 0;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args: [number?]) {
        (window as unknown as { tones: number }).tones++;
        return start.apply(this, args);
      };
    });
  }
  await seatTwo(alice.page, bob.page);
  const names = new Map<Page, string>([
    [alice.page, 'Alice'],
    [bob.page, 'Bob'],
  ]);
  const tones = (p: Page) => p.evaluate(() => (window as unknown as { tones: number }).tones);
  for (const p of [alice.page, bob.page]) {
    await expect(p.locator('#sound-toggle')).toHaveText('Sound: off');
    await expect(p.locator('#sound-toggle')).toHaveAttribute('aria-pressed', 'false');
  }

  let sawMark = false;
  let sawCapture = false;
  let soundOnFor: Page | null = null;
  let heardWhileOn = false;
  for (let turn = 0; turn < 48 && !(sawMark && sawCapture && heardWhileOn); turn++) {
    const page = await mover([alice.page, bob.page]);
    const other = page === alice.page ? bob.page : alice.page;
    const before = await tableCards(other);
    const tonesBefore = await tones(other);
    const heard = await other.locator('#last-event').count() ? await other.locator('#last-event').innerText() : '';
    await playTurn(page);
    await expect(page.locator('#turn-indicator[data-turn="you"], #pending-move')).toHaveCount(0);
    if ((await other.locator('#game-over').count()) > 0) break;
    await expect(other.locator('#last-event')).not.toHaveText(heard);
    const summary = await other.locator('#last-event').innerText();
    // The summary names the mover and the cards, never "2 cards".
    expect(summary.startsWith(names.get(page)!)).toBe(true);
    expect(summary).toMatch(GLYPH);
    expect(summary).not.toMatch(/captur(ed|ing) \d+ cards? with/);

    const after = await tableCards(other);
    const added = after.filter((c) => !before.includes(c));
    if (/^\w+ (trailed|built|raised|added)/.test(summary) && !summary.includes('Deal ')) {
      // What came onto the table is marked on the opponent's screen, and nothing else.
      expect((await marked(other)).sort()).toEqual(added.sort());
      expect(added.length).toBeGreaterThan(0);
      sawMark = true;
    }
    if (/captured|swept/.test(summary)) sawCapture = true;
    // The mover's own screen marks nothing: its own move is no news.
    expect(await marked(page)).toEqual([]);

    // The chime: silent while off; once turned on, the opponent's move plays it.
    const heardTone = (await tones(other)) > tonesBefore;
    if (soundOnFor === other) {
      await expect.poll(() => tones(other)).toBeGreaterThan(tonesBefore);
      heardWhileOn = true;
    } else {
      expect(heardTone).toBe(false);
    }
    if (soundOnFor === null && turn >= 1) {
      // The player to move next turns it on; the opponent's next move chimes.
      await page.locator('#sound-toggle').click();
      await expect(page.locator('#sound-toggle')).toHaveText('Sound: on');
      await expect(page.locator('#sound-toggle')).toHaveAttribute('aria-pressed', 'true');
      soundOnFor = page;
    }
  }
  expect(sawMark).toBe(true);
  expect(sawCapture).toBe(true);
  expect(heardWhileOn).toBe(true);

  // The choice is remembered in this browser, and only there.
  const on = soundOnFor!;
  const off = on === alice.page ? bob.page : alice.page;
  expect(await on.evaluate(() => localStorage.getItem('casino_sound'))).toBe('on');
  await on.reload();
  await expect(on.locator('#sound-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(off.locator('#sound-toggle')).toHaveAttribute('aria-pressed', 'false');
  await alice.context.close();
  await bob.context.close();
});
