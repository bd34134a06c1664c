// Shared test fixtures: `baseURL` points at the server started by global-setup.ts.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  baseURL: async ({}, use) => {
    const url = process.env.CASINO_BASE_URL;
    if (!url) throw new Error('CASINO_BASE_URL is unset: run the tests through playwright.config.ts');
    await use(url);
  },
});

export { expect };
