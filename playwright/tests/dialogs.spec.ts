// Every dialog is a real modal: named by its heading, the focus moved into it when it opens and
// kept in (Tab and Shift+Tab cycle within it), the page behind inert, Escape closes it or does
// the safe thing, and the focus goes back where it was; axe finds nothing at phone and desktop
// sizes. The dialogs: Leave, How to play, While you were away, the abandoned game, another
// tab's conflict, the expired and the left session, the hand summary (whose Escape puts it
// away without saying "ready").
import { type Page, type WebSocketRoute } from '@playwright/test';
import { test, expect } from './fixtures';
import { expectNoViolations } from './axe';
import { newPlayer, oneHasTheTurn, myTurn, playFirstHand, playTurn, seatTwo, twoPlayers } from './helpers';

/// Whether the focus is inside the element `id`.
function focusInside(page: Page, id: string): Promise<boolean> {
  return page.evaluate((id) => {
    const dialog = document.getElementById(id);
    return !!dialog && dialog.contains(document.activeElement);
  }, id);
}

/// The modal `id` is named, has the focus (on `focus`), keeps it through Tab and Shift+Tab, and
/// everything in `behind` is inert.
async function expectModal(page: Page, id: string, focus: string, behind: string[]): Promise<void> {
  const dialog = page.locator(`#${id}`);
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('role', 'dialog');
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  const name = await dialog.evaluate((d) => document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent ?? '');
  expect(name.trim(), `${id} is named by its heading`).not.toBe('');
  await expect(page.locator(`#${focus}`)).toBeFocused();
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    expect(await focusInside(page, id), `${key} keeps the focus in ${id}`).toBe(true);
  }
  for (const selector of behind) {
    const inert = await page.locator(selector).first().evaluate((e) => e.closest('[inert]') !== null);
    expect(inert, `${selector} is inert behind ${id}`).toBe(true);
  }
  // The live region stays heard.
  if ((await page.locator('#announcer').count()) > 0) {
    expect(await page.locator('#announcer').evaluate((e) => e.closest('[inert]') === null)).toBe(true);
  }
}

test('Leave, How to play and the conflict dialog are modals; Escape closes them and gives the focus back', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const { a, b, errors, close } = await twoPlayers(browser, baseURL!);
  const code = await seatTwo(a, b);

  await a.locator('#leave-room').focus();
  await a.keyboard.press('Enter');
  await expectModal(a, 'leave-dialog', 'cancel-leave', ['#leave-room', '#table-screen', '#connection-status']);
  await expectNoViolations(a, 'the Leave dialog');
  await a.keyboard.press('Escape');
  await expect(a.locator('#leave-dialog')).toHaveCount(0);
  await expect(a.locator('#leave-room')).toBeFocused();
  expect(await a.locator('#leave-room').evaluate((e) => e.closest('[inert]') === null)).toBe(true);
  // A click on the backdrop is an Escape too (Stay).
  await a.locator('#leave-room').click();
  await a.locator('.backdrop').click({ position: { x: 5, y: 5 } });
  await expect(a.locator('#leave-dialog')).toHaveCount(0);
  await expect(a.locator('.room')).toHaveAttribute('data-phase', 'playing');

  await a.locator('#how-to-play').click();
  await expectModal(a, 'how-to-play-dialog', 'how-to-play-close', ['#leave-room', '#table-screen']);
  await a.keyboard.press('Escape');
  await expect(a.locator('#how-to-play-dialog')).toHaveCount(0);
  await expect(a.locator('#how-to-play')).toBeFocused();

  // The same game opened in a second tab of the same browser asks first.
  const second = await a.context().newPage();
  await second.goto(`/room/${code}`);
  await expectModal(second, 'conflict-dialog', 'takeover', ['#how-to-play']);
  await expectNoViolations(second, 'the conflict dialog');
  // Escape is Cancel: the other tab keeps the seat.
  await second.keyboard.press('Escape');
  await expect(second.locator('#create-room')).toBeVisible();
  await expect(a.locator('#connection-status')).toHaveAttribute('data-state', 'connected');
  await second.close();
  expect(errors).toEqual([]);
  await close();
});

test('While you were away and the abandoned game are modals; Escape continues or waits', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  const b = bob.page;
  let live: WebSocketRoute | null = null;
  const sent: string[] = [];
  await a.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    live = ws;
    ws.onMessage((m) => {
      const type = JSON.parse(String(m)).type;
      if (type === 'wait') sent.push(type);
      else server.send(m);
    });
    server.onMessage((m) => {
      if (live === ws) ws.send(m);
    });
    ws.onClose(() => server.close());
  });
  await seatTwo(a, b);
  await oneHasTheTurn(a, b);
  // Bob is to move while Alice is offline: she comes back to "While you were away".
  if (await myTurn(a)) {
    await playTurn(a);
    await oneHasTheTurn(a, b);
  }
  await a.context().setOffline(true);
  await expect(a.locator('#connection-status')).toHaveAttribute('data-state', 'offline');
  await expect(b.locator('#opponent-status')).not.toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
  await playTurn(b);
  await expect(b.locator('#turn-indicator')).toHaveText('Waiting for opponent');
  await a.context().setOffline(false);
  await expectModal(a, 'missed-dialog', 'missed-continue', ['#leave-room', '#table-screen']);
  await expectNoViolations(a, 'While you were away');
  await a.keyboard.press('Escape');
  await expect(a.locator('#missed-dialog')).toHaveCount(0);

  // The server's word that Bob abandoned the game (injected: no need to wait five minutes).
  const now = Date.now();
  live!.send(
    JSON.stringify({
      type: 'presence',
      seats: [
        { seat: 0, state: 'connected', since: null },
        { seat: 1, state: 'away', since: now - 301_000 },
      ],
    }),
  );
  live!.send(
    JSON.stringify({
      type: 'abandoned',
      options: ['wait', 'claim_victory'],
      opponent_gone_since: now - 301_000,
      return_by: now + 299_000,
      waiting: false,
    }),
  );
  await expectModal(a, 'abandoned-dialog', 'abandon-wait', ['#leave-room', '#opponent-banner']);
  await expectNoViolations(a, 'the abandoned game');
  // Escape is the safe choice: wait (the game goes on), with "Claim victory" kept at hand.
  await a.keyboard.press('Escape');
  await expect(a.locator('#abandoned-dialog')).toHaveCount(0);
  await expect.poll(() => sent).toEqual(['wait']);
  await expect(a.locator('#waiting-bar #claim-victory')).toBeVisible();
  await alice.context.close();
  await bob.context.close();
});

test('the expired and the left session are modals that lead home', async ({ browser, baseURL }) => {
  const { a, b, close } = await twoPlayers(browser, baseURL!);
  const code = await seatTwo(a, b);
  const key = `casino_session_${code}`;
  const bobs = await b.evaluate((key) => localStorage.getItem(key) ?? '', key);
  expect(bobs).not.toBe('');
  // Bob leaves for good; a page that still holds his (revoked) session learns that he left.
  await b.locator('#leave-room').click();
  await b.locator('#confirm-leave').click();
  await expect(b.locator('#create-room')).toBeVisible();
  await b.evaluate(([key, stored]) => localStorage.setItem(key, stored), [key, bobs]);
  await b.goto(`/room/${code}`);
  await expectModal(b, 'left-game', 'left-home', ['#how-to-play']);
  await expectNoViolations(b, 'the left session');
  await b.keyboard.press('Escape');
  await expect(b.locator('#create-room')).toBeVisible();

  // Alice's token, spoilt: refused before the upgrade, "expired".
  await a.evaluate((key) => {
    const spoilt = JSON.parse(localStorage.getItem(key) ?? '{}');
    spoilt.token = 'x' + String(spoilt.token).slice(1);
    localStorage.setItem(key, JSON.stringify(spoilt));
  }, key);
  await a.reload();
  await expectModal(a, 'session-expired', 'expired-home', ['#how-to-play']);
  await expectNoViolations(a, 'the expired session');
  await a.keyboard.press('Escape');
  await expect(a.locator('#create-room')).toBeVisible();
  await close();
});

test('the hand summary is a modal whose Escape puts it away without saying ready', async ({ browser, baseURL }) => {
  test.setTimeout(300_000);
  const { a, b, errors, close } = await twoPlayers(browser, baseURL!);
  await seatTwo(a, b, false);
  await playFirstHand(a, b);
  await expectModal(a, 'hand-summary', 'hand-summary-next', ['#leave-room', '#connection-status']);
  await a.keyboard.press('Escape');
  await expect(a.locator('#hand-summary')).toHaveCount(0);
  await expect(a.locator('#hand-summary-bar')).toBeVisible();
  // Not ready: Bob still waits for Alice, and nobody can move.
  await expect(b.locator('#hand-summary-status')).not.toHaveText('Alice is ready');
  await expect(a.locator('#turn-indicator')).toHaveText('Between hands');
  await expectNoViolations(a, 'the table between hands, the summary put away');
  await a.locator('#hand-summary-show').click();
  await expectModal(a, 'hand-summary', 'hand-summary-next', ['#leave-room']);
  await a.locator('#hand-summary-next').click();
  await expect(b.locator('#hand-summary-status')).toHaveText('Alice is ready');
  await b.locator('#hand-summary-next').click();
  for (const p of [a, b]) await expect(p.locator('#hand-summary')).toHaveCount(0);
  await expect(a.locator('#hand-summary-bar')).toHaveCount(0);
  expect(errors).toEqual([]);
  await close();
});
