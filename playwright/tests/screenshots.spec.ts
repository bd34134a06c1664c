// Screenshots of every screen at a phone size and a desktop size, into docs/screenshots/, to be
// looked at. Runs only when asked: CASINO_SCREENSHOTS=1 npx playwright test tests/screenshots.spec.ts
import * as path from 'node:path';
import { type Page, type WebSocketRoute } from '@playwright/test';
import { test, expect } from './fixtures';
import { myTurn, newPlayer, playFirstHand, playTurn, playUntil, seatTwo } from './helpers';

const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];

async function shoot(page: Page, screen: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: path.join(SHOTS, `${screen}-${size.name}.png`), fullPage: true });
  }
}

test('every screen at phone and desktop sizes', async ({ browser, baseURL }) => {
  test.skip(!process.env.CASINO_SCREENSHOTS, 'set CASINO_SCREENSHOTS=1 to refresh docs/screenshots');
  test.setTimeout(300_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  const b = bob.page;

  await a.goto('/');
  await expect(a.locator('#create-room')).toBeVisible();
  await a.locator('#player-name').fill('Alice');
  await shoot(a, 'home');
  await a.locator('#how-to-play').click();
  await shoot(a, 'how-to-play');
  await a.keyboard.press('Escape');

  await a.locator('#single-hand').check();
  await a.locator('#create-room').click();
  const code = (await a.locator('#room-code-display').innerText()).trim();
  await shoot(a, 'waiting-room');

  await b.goto(`/room/${code}`);
  await expect(b.locator('#room-code')).toHaveValue(code);
  await b.locator('#player-name').fill('Bob');
  await shoot(b, 'invited');
  await b.locator('#join-room').click();
  for (const p of [a, b]) await expect(p.locator('#table-screen')).toBeVisible();

  // A few moves in, the player to move selects a card that lights up table cards.
  let turns = 0;
  await playUntil([a, b], async () => ++turns > 3);
  let mover = (await myTurn(a)) ? a : b;
  for (let turn = 0; turn < 30; turn++) {
    await playUntil([a, b], async () => (await myTurn(a)) || (await myTurn(b)));
    mover = (await myTurn(a)) ? a : b;
    const hand = mover.locator('#my-hand .card');
    let lit = false;
    for (let i = 0; i < (await hand.count()) && !lit; i++) {
      await hand.nth(i).click();
      lit = (await mover.locator('#table-cards [data-workable="true"]').count()) > 0;
      if (!lit) await hand.nth(i).click();
    }
    if (lit) break;
    await playTurn(mover);
    await expect(mover.locator('#turn-indicator[data-turn="you"], #pending-move')).toHaveCount(0);
  }
  await shoot(mover, 'table');
  const dark = await mover
    .locator('#table-cards > .card[data-workable="false"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-card') ?? ''));
  const selected = mover.locator('#my-hand .card[aria-pressed="true"]');
  if ((await selected.count()) > 0 && dark.length > 0) {
    const card = mover.locator(`#table-cards > .card[data-card="${dark[0]}"]`);
    await card.click();
    await shoot(mover, 'table-why-not');
    await card.click();
  }
  if ((await selected.count()) > 0) await selected.click();
  await expect(mover.locator('#table-screen [aria-pressed="true"]')).toHaveCount(0);
  await playTurn(mover);

  await playUntil([a, b], async () => (await a.locator('#game-over').count()) > 0, 300);
  await expect(a.locator('#game-over')).toBeVisible();
  await shoot(a, 'game-over');
  // A rematch offered: Alice waits, Bob may accept.
  await a.locator('#rematch').click();
  await expect(b.locator('#rematch-status')).toHaveText('Alice wants a rematch');
  await shoot(a, 'rematch-waiting');
  await shoot(b, 'rematch-offer');
  // Bob goes to play another game: Alice reads a refusal.
  await b.locator('#play-again').click();
  await expect(b.locator('#create-room')).toBeVisible();
  await expect(a.locator('#rematch-status')).toHaveText('Bob does not want a rematch now.');
  await shoot(a, 'rematch-refused');
  // The finished room's link shows its result (once "Play again" forgot Bob's seat there).
  await b.goto(`/room/${code}`);
  await expect(b.locator('#finished-room')).toBeVisible();
  await shoot(b, 'finished-room');
  await alice.context.close();
  await bob.context.close();
});

test('the hand summary between hands at phone and desktop sizes', async ({ browser, baseURL }) => {
  test.skip(!process.env.CASINO_SCREENSHOTS, 'set CASINO_SCREENSHOTS=1 to refresh docs/screenshots');
  test.setTimeout(300_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  await seatTwo(alice.page, bob.page, false);
  await playFirstHand(alice.page, bob.page);
  await shoot(alice.page, 'hand-summary');
  // Alice is ready and waits for Bob.
  await alice.page.locator('#hand-summary-next').click();
  await expect(alice.page.locator('#hand-summary-status')).toHaveText('Waiting for Bob…');
  await shoot(alice.page, 'hand-summary-waiting');
  // Escape puts the summary away: the dealt hand under a bar.
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.locator('#hand-summary-bar')).toBeVisible();
  await shoot(alice.page, 'hand-summary-put-away');
  await alice.context.close();
  await bob.context.close();
});

test('connection states and dialogs at phone and desktop sizes', async ({ browser, baseURL }) => {
  test.skip(!process.env.CASINO_SCREENSHOTS, 'set CASINO_SCREENSHOTS=1 to refresh docs/screenshots');
  test.setTimeout(300_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  const b = bob.page;
  let refused = false;
  let live: WebSocketRoute | null = null;
  await a.routeWebSocket(/\/ws/, (ws) => {
    if (refused) {
      ws.close({ code: 4000, reason: 'refused' });
      return;
    }
    const server = ws.connectToServer();
    live = ws;
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(m));
    ws.onClose(() => server.close());
  });
  await seatTwo(a, b);
  // Bob's turn, so that he can move while Alice is away.
  await playUntil([a, b], () => myTurn(b));
  const status = a.locator('#connection-status');

  await a.locator('#leave-room').click();
  await shoot(a, 'dialog-leave');
  await a.keyboard.press('Escape');

  await a.context().setOffline(true);
  await expect(status).toHaveAttribute('data-state', 'offline');
  await shoot(a, 'link-offline');
  refused = true;
  await a.context().setOffline(false);
  await expect(status).toHaveAttribute('data-state', 'reconnecting');
  await shoot(a, 'link-reconnecting');
  await expect(status).toHaveAttribute('data-state', 'disconnected', { timeout: 40_000 });
  await shoot(a, 'link-disconnected');

  // Bob moves while Alice is away; Retry brings her back to what she missed.
  await playUntil([b], async () => !(await myTurn(b)));
  refused = false;
  await a.locator('#retry').click();
  await expect(a.locator('#missed-dialog')).toBeVisible({ timeout: 10_000 });
  await shoot(a, 'dialog-missed');
  await a.keyboard.press('Escape');

  const now = Date.now();
  live!.send(JSON.stringify({ type: 'presence', seats: [
    { seat: 0, state: 'connected', since: null },
    { seat: 1, state: 'away', since: now - 301_000 },
  ] }));
  live!.send(JSON.stringify({ type: 'abandoned', options: ['wait', 'claim_victory'],
    opponent_gone_since: now - 301_000, return_by: now + 299_000, waiting: false }));
  await expect(a.locator('#abandoned-dialog')).toBeVisible();
  await shoot(a, 'dialog-abandoned');
  await alice.context.close();
  await bob.context.close();
});
