// SPEC R5 / R9.4 in the browser, client side: the opponent's timer, the "Opponent disconnected"
// banner, the abandoned dialog with "Wait" and "Claim victory", the opponent's return, and the
// result screen after a claim. The server's messages for an opponent gone for minutes
// (`presence`, `abandoned`, `game_over victory_claimed`) are injected into Alice's
// socket, so the test needs neither minutes of waiting nor a server with shrunk durations; the
// page's answers (`wait`, `claim_victory`) are recorded instead of forwarded.
import type { WebSocketRoute } from '@playwright/test';
import { test, expect } from './fixtures';
import { newPlayer, seatTwo } from './helpers';

function status(goneForMs: number | null, temporarily: boolean) {
  const now = Date.now();
  return {
    type: 'presence',
    seats: [
      { seat: 0, state: 'connected', since: null },
      goneForMs === null
        ? { seat: 1, state: 'connected', since: null }
        : { seat: 1, state: temporarily ? 'away' : 'disconnected', since: now - goneForMs },
    ],
  };
}

const abandoned = () => ({
  type: 'abandoned',
  options: ['wait', 'claim_victory'],
  opponent_gone_since: Date.now() - 301_000,
  return_by: Date.now() + 299_000,
  waiting: false,
});

test('opponent gone: timer, banner, abandoned dialog, wait, return, claim victory', async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  let page: WebSocketRoute | null = null;
  const lifecycle: string[] = [];
  await a.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    page = ws;
    ws.onMessage((m) => {
      const type = JSON.parse(String(m)).type;
      if (type === 'wait' || type === 'claim_victory') lifecycle.push(type);
      else server.send(m);
    });
    server.onMessage((m) => ws.send(m));
  });
  await seatTwo(a, bob.page);
  const inject = (msg: object) => page!.send(JSON.stringify(msg));
  const opponent = a.locator('#opponent-status');
  const banner = a.locator('#opponent-banner');
  const dialog = a.locator('#abandoned-dialog');

  await expect(opponent).toHaveAttribute('data-state', 'connected');
  // Gone 30 s: disconnected, no timer yet, no banner.
  inject(status(30_000, false));
  await expect(opponent).toHaveAttribute('data-state', 'disconnected');
  await expect(opponent).toHaveAttribute('data-timer', '');
  await expect(banner).toHaveCount(0);
  // Gone 65 s: the timer runs.
  inject(status(65_000, false));
  await expect(opponent).toHaveAttribute('data-timer', /^1:0\d$/);
  await expect(opponent).toContainText(/disconnected \(1:0\d\)/);
  await expect(banner).toHaveCount(0);
  // Gone 2 min 10 s and marked temporarily disconnected: the banner with its duration.
  inject(status(130_000, true));
  await expect(opponent).toHaveAttribute('data-state', 'away');
  await expect(banner).toHaveText(/^Opponent disconnected \(2:1\d\)$/);
  // Abandoned: the dialog.
  inject(abandoned());
  await expect(dialog).toContainText('Opponent has abandoned the game');
  await expect(a.locator('#abandon-wait')).toHaveText('Wait');
  await expect(a.locator('#claim-victory')).toHaveText('Claim victory');
  // Wait: the dialog closes; the table, the banner and a way to claim victory stay.
  await a.locator('#abandon-wait').click();
  await expect.poll(() => lifecycle).toEqual(['wait']);
  await expect(dialog).toHaveCount(0);
  await expect(banner).toBeVisible();
  await expect(a.locator('#waiting-bar')).toContainText(/If they are not back in 4:5\d, you win/);
  await expect(a.locator('#waiting-bar #claim-victory')).toBeEnabled();
  await expect(a.locator('#table-screen')).toBeVisible();
  await expect(a.locator('.room')).toHaveAttribute('data-phase', 'playing');
  // Abandoned again, then the opponent returns: the dialog closes and the notice shows.
  inject(abandoned());
  await expect(dialog).toBeVisible();
  inject(status(null, false));
  await expect(dialog).toHaveCount(0);
  await expect(banner).toHaveCount(0);
  await expect(a.locator('#opponent-notice')).toHaveText('Opponent reconnected');
  await expect(opponent).toHaveAttribute('data-state', 'connected');
  // Gone again past the threshold: claim victory ends the game with the result screen.
  inject(status(301_000, true));
  inject(abandoned());
  await a.locator('#claim-victory').click();
  await expect.poll(() => lifecycle).toEqual(['wait', 'claim_victory']);
  // Sent once: the buttons wait for the server's answer.
  await expect(a.locator('#claim-victory')).toBeDisabled();
  await expect(a.locator('#abandon-wait')).toBeDisabled();
  inject({ type: 'game_over', result: { winner: 0, scores: [0, 0], hands_played: 0 }, reason: 'victory_claimed' });
  await expect(a.locator('#game-over')).toBeVisible();
  await expect(a.locator('#game-result')).toHaveText('You win!');
  await expect(a.locator('#game-over')).toContainText('Victory was claimed');
  await alice.context.close();
  await bob.context.close();
});

test('returning after the window shows that the session expired', async ({ browser, baseURL }) => {
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const code = await seatTwo(alice.page, bob.page);
  const a = alice.page;
  // What the server does for a seat gone past the return window: error, then close 4010.
  await a.routeWebSocket(/\/ws/, (ws) => {
    ws.onMessage(() => {
      ws.send(JSON.stringify({ type: 'error', code: 'SESSION_EXPIRED', message: 'this game session has expired' }));
      ws.close({ code: 4010, reason: 'this game session has expired' });
    });
  });
  await a.reload();
  await expect(a.locator('#session-expired')).toContainText('This game session has expired');
  await expect(a.locator('.room')).toHaveAttribute('data-phase', 'expired');
  await expect(a.locator('#leave-room')).toHaveCount(0);
  // The stored session is gone: the room link now lands on the join form.
  await a.locator('#expired-home').click();
  await a.goto(`/room/${code}`);
  await expect(a.locator('#room-code')).toHaveValue(code);
  await alice.context.close();
  await bob.context.close();
});
