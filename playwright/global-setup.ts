// Starts the real `casino-server` for the whole browser run; the returned function stops it.
// Tests reach it through `process.env.CASINO_BASE_URL` (see tests/fixtures.ts).
import { startServer } from './server';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startServer();
  process.env.CASINO_BASE_URL = server.baseUrl;
  return () => server.stop('casino-server.log');
}
