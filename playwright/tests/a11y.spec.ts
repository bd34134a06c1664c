// axe (WCAG 2 A/AA rules) finds no violation on any screen, at a phone size and a desktop size:
// home, the rules dialog, the waiting room, the table mid-game (a card selected, the opponent's
// move marked), the game-over screen of a game played to the end (and with a rematch offered,
// on both sides), the finished room's link, and the hand summary between the hands of a game
// to 21 (before and after "Next hand", on both sides).
import { test, expect } from './fixtures';
import { expectNoViolations } from './axe';
import { myTurn, newPlayer, playFirstHand, playTurn, playUntil, seatTwo } from './helpers';

test('axe finds no violation on any screen at phone and desktop sizes', async ({ browser, baseURL }) => {
  test.setTimeout(300_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  const a = alice.page;
  const b = bob.page;

  await a.goto('/');
  await expect(a.locator('#create-room')).toBeVisible();
  await expectNoViolations(a, 'home');
  await a.locator('#how-to-play').click();
  await expect(a.getByRole('dialog')).toBeVisible();
  await expectNoViolations(a, 'home with the rules open');
  await a.keyboard.press('Escape');

  await a.locator('#player-name').fill('Alice');
  await a.locator('#single-hand').check();
  await a.locator('#create-room').click();
  const code = (await a.locator('#room-code-display').innerText()).trim();
  await expectNoViolations(a, 'waiting room');

  // The invited player's home page: the join form first.
  await b.goto(`/room/${code}`);
  await expect(b.locator('#room-code')).toHaveValue(code);
  await expectNoViolations(b, 'home from an invitation link');
  await b.locator('#player-name').fill('Bob');
  await b.locator('#join-room').click();
  for (const p of [a, b]) await expect(p.locator('#table-screen')).toBeVisible();

  // A few moves in: the opponent's move is marked, a card is selected and its table cards lit.
  let turns = 0;
  await playUntil([a, b], async () => ++turns > 4);
  const mover = (await myTurn(a)) ? a : b;
  await mover.locator('#my-hand .card').first().click();
  await expectNoViolations(mover, 'table, a card selected');
  await mover.locator('#my-hand .card').first().click();
  await mover.locator('#how-to-play').click();
  await expectNoViolations(mover, 'table with the rules open');
  await mover.keyboard.press('Escape');
  const waiting = mover === a ? b : a;
  await expectNoViolations(waiting, 'table, waiting for the opponent');
  await playTurn(mover);

  await playUntil([a, b], async () => (await a.locator('#game-over').count()) > 0, 300);
  for (const p of [a, b]) await expect(p.locator('#game-over')).toBeVisible();
  await expectNoViolations(a, 'game over');
  // A rematch offered: the asker waits, the other one may accept.
  await a.locator('#rematch').click();
  await expect(a.locator('#rematch-status')).toHaveText('Waiting for Bob to accept…');
  await expect(b.locator('#rematch-status')).toHaveText('Alice wants a rematch');
  await expectNoViolations(a, 'game over, waiting for the rematch');
  await expectNoViolations(b, 'game over, a rematch offered');
  // The finished room's link shows its result (once "Play again" forgot Bob's seat there).
  await b.locator('#play-again').click();
  await expect(b.locator('#create-room')).toBeVisible();
  await b.goto(`/room/${code}`);
  await expect(b.locator('#finished-room')).toBeVisible();
  await expectNoViolations(b, 'a finished room\'s link');
  await alice.context.close();
  await bob.context.close();
});

test('axe finds no violation on the hand summary between hands', async ({ browser, baseURL }) => {
  test.setTimeout(300_000);
  const alice = await newPlayer(browser, baseURL!);
  const bob = await newPlayer(browser, baseURL!);
  await seatTwo(alice.page, bob.page, false);
  await playFirstHand(alice.page, bob.page);
  await expectNoViolations(alice.page, 'hand summary');
  // Alice is ready: her dialog waits for Bob, Bob's says she is ready.
  await alice.page.locator('#hand-summary-next').click();
  await expect(alice.page.locator('#hand-summary-status')).toHaveText('Waiting for Bob…');
  await expect(bob.page.locator('#hand-summary-status')).toHaveText('Alice is ready');
  await expectNoViolations(alice.page, 'hand summary, waiting for the opponent');
  await expectNoViolations(bob.page, 'hand summary, the opponent ready');
  await alice.context.close();
  await bob.context.close();
});
