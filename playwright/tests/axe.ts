// axe (WCAG 2 A/AA rules) on a page at a phone size and a desktop size: every violation of any
// impact fails, and colour contrast must have been measured, not left undecided.
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Page } from '@playwright/test';
import { expect } from './fixtures';

export const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];

const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

/// Runs axe on `page` at both sizes (the page is left at the desktop size); fails with each
/// violation's rule and elements. With CASINO_SCREENSHOTS=1 and a `shot` name, also saves
/// docs/screenshots/{shot}-{size}.png.
export async function expectNoViolations(page: Page, screen: string, shot?: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const results = await new AxeBuilder({ page }).analyze();
    const found = results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
    }));
    expect(found, `axe on ${screen} at ${size.name} size`).toEqual([]);
    // Contrast was measured, not left undecided (as it is on a gradient background).
    expect(results.passes.map((p) => p.id)).toContain('color-contrast');
    const undecided = results.incomplete
      .filter((v) => v.id === 'color-contrast')
      .flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.any.map((a) => `${a.message} (${a.relatedNodes?.map((r) => r.target.join(' ')).join(', ')})`).join('; ')}`));
    expect(undecided, `contrast undecided on ${screen} at ${size.name} size`).toEqual([]);
    if (shot && process.env.CASINO_SCREENSHOTS) {
      await page.screenshot({ path: path.join(SHOTS, `${shot}-${size.name}.png`), fullPage: true });
    }
  }
}
