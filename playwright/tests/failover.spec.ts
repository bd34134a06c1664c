// A match in two browsers through HAProxy in front of three nodes survives `kill -9` of the node
// serving it: both players reconnect on their own to the room's new owner (after its lease runs
// out) and the game goes on. Needs CASINO_TEST_PG_URL (skipped without) and Debian's haproxy.
import { test, expect } from './fixtures';
import { newPlayer, seatTwo, myTurn, playTurn } from './helpers';
import { startCluster, type RunningCluster } from '../cluster';

const adminUrl = process.env.CASINO_TEST_PG_URL;

test.describe('several nodes', () => {
  test.skip(!adminUrl, 'CASINO_TEST_PG_URL is not set');
  let cluster: RunningCluster | undefined;
  test.beforeAll(async () => {
    cluster = await startCluster(adminUrl ?? '');
  });
  test.afterAll(async () => {
    await cluster?.stop();
  });

  /// The player to move plays one turn; returns once the move is acknowledged (no longer pending).
  async function oneTurn(pages: import('@playwright/test').Page[]): Promise<void> {
    await expect.poll(async () => (await Promise.all(pages.map(myTurn))).some(Boolean), { timeout: 20_000 }).toBe(true);
    for (const p of pages) {
      if (await myTurn(p)) {
        await playTurn(p);
        await expect(p.locator('#pending-move')).toHaveCount(0, { timeout: 20_000 });
        await expect(p.locator('#turn-indicator[data-turn="you"]')).toHaveCount(0);
        return;
      }
    }
  }

  test('a match survives the kill of the node serving it', async ({ browser }) => {
    test.setTimeout(90_000);
    const running = cluster!;
    const alice = await newPlayer(browser, running.baseUrl);
    const bob = await newPlayer(browser, running.baseUrl);
    const pages = [alice.page, bob.page];
    const code = await seatTwo(alice.page, bob.page);
    await oneTurn(pages);
    await oneTurn(pages);

    const owner = running.owner(code);
    expect(owner).toMatch(/^node[123]$/);
    running.kill(owner);

    // Both notice, come back on their own, and the game goes on on another node.
    for (const p of pages) {
      await expect(p.locator('#connection-status')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    }
    await oneTurn(pages);
    await oneTurn(pages);
    const next = running.owner(code);
    expect(next).toMatch(/^node[123]$/);
    expect(next).not.toBe(owner);
    for (const p of pages) {
      await expect(p.locator('#connection-status')).toHaveAttribute('data-state', 'connected');
    }
    await alice.context.close();
    await bob.context.close();
  });
});
