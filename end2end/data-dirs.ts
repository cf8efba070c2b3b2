import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The data dir of the API on `port`, made once and kept in the environment: Playwright loads
 * the config again in every worker process, which inherits the environment, so a journey names
 * the same folder as the server it talks to (and can read the emails it wrote into
 * `<data-dir>/outbox/`).
 */
export function dataDir(port: number): string {
  const name = `PORTAL_E2E_DATA_DIR_${port}`;
  const dir = process.env[name] ?? mkdtempSync(join(tmpdir(), 'portal-e2e-'));
  process.env[name] = dir;
  return dir;
}
