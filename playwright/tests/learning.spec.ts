// Learning at the table: a selected hand card lights up the table cards it can work with, the
// move buttons say what happens with which cards, and a selection that makes no move says which
// rule it breaks instead of "No move with this selection".
import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { myTurn, newPlayer, playTurn, seatTwo } from './helpers';

const GLYPHS: Record<string, string> = { S: '♠', H: '♥', D: '♦', C: '♣' };

/// "7C" → "7♣".
function glyph(code: string): string {
  return code.slice(0, -1) + GLYPHS[code.slice(-1)];
}

function list(value: string | null): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

async function mover(pages: Page[]): Promise<Page> {
  await expect.poll(async () => (await Promise.all(pages.map(myTurn))).some(Boolean)).toBe(true);
  for (const p of pages) if (await myTurn(p)) return p;
  throw new Error('nobody to move');
}

async function workable(page: Page): Promise<string[]> {
  return page
    .locator('#table-cards > .card[data-workable="true"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-card') ?? ''));
}

test('a selected card lights up its table cards, moves say what they do, and a refused selection says why', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  await seatTwo(alice.page, bob.page);
  const pages = [alice.page, bob.page];

  let lit = false;
  let explained = false;
  for (let turn = 0; turn < 40 && !(lit && explained); turn++) {
    const page = await mover(pages);
    // Nothing lights up before a hand card is chosen.
    await expect(page.locator('#table-cards [data-workable="true"]')).toHaveCount(0);
    const hand = page.locator('#my-hand .card');
    for (let i = 0; i < (await hand.count()) && !(lit && explained); i++) {
      const card = hand.nth(i);
      const code = (await card.getAttribute('data-card'))!;
      const loose = list(await card.getAttribute('data-hint-loose'));
      await card.click();
      await expect(card).toHaveAttribute('aria-pressed', 'true');
      // The cards its hint names (a move the player can make) are among those lit.
      const lights = await workable(page);
      for (const c of loose) expect(lights).toContain(c);
      if (!lit && lights.length > 0) {
        // Lit cards are announced too.
        await expect(page.locator(`#table-cards > .card[data-card="${lights[0]}"]`)).toHaveAttribute(
          'aria-description',
          'can be used with the selected card',
        );
        // Selecting lit cards one by one keeps some move possible until the composer offers it.
        const chosen: string[] = [];
        for (let k = 0; k < 12 && (await page.locator('.move-option').count()) === 0; k++) {
          const next = page.locator('#table-cards [data-workable="true"][aria-pressed="false"]').first();
          await expect(next).toBeVisible();
          const c = await next.getAttribute('data-card');
          await next.click();
          if (c) chosen.push(c);
        }
        const options = page.locator('.move-option');
        expect(await options.count()).toBeGreaterThan(0);
        // The moves name the card played and the table cards used, not just "Build 9".
        for (const label of await options.allInnerTexts()) {
          expect(label).toContain(glyph(code));
          for (const c of chosen) expect(label).toContain(glyph(c));
          expect(label).not.toMatch(/^Build \d+$/);
        }
        // The screen reader hears the same in words.
        expect(await options.first().getAttribute('aria-label')).toMatch(/ of (spades|hearts|diamonds|clubs)/);
        lit = true;
        // Unselect the table again.
        for (const el of await page.locator('#table-cards [aria-pressed="true"]').all()) await el.click();
        await expect(page.locator('#table-cards [aria-pressed="true"]')).toHaveCount(0);
      }
      if (!explained) {
        const dark = await page
          .locator('#table-cards > .card[data-workable="false"]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-card') ?? ''));
        if (dark.length > 0) {
          await page.locator(`#table-cards > .card[data-card="${dark[0]}"]`).click();
          const why = page.locator('#why-not');
          await expect(why).toBeVisible();
          await expect(why).not.toContainText('No move with this selection');
          await expect(why).toContainText(
            /cannot be split into sets|must keep a card of value|builds go up to 10|is a face card|captures exactly one|may not trail|multiple build|only the played card/,
          );
          await expect(page.locator('.move-option')).toHaveCount(0);
          explained = true;
          await page.locator(`#table-cards > .card[data-card="${dark[0]}"]`).click();
        }
      }
      // Unselect the hand card: the table goes dark again.
      await card.click();
      await expect(page.locator('#table-cards [data-workable="true"]')).toHaveCount(0);
    }
    if (!(lit && explained)) {
      await playTurn(page);
      await expect(page.locator('#turn-indicator[data-turn="you"], #pending-move')).toHaveCount(0);
    }
  }
  expect(lit).toBe(true);
  expect(explained).toBe(true);
  await alice.context.close();
  await bob.context.close();
});
