import { defineConfig } from '@playwright/test';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { dataDir } from './data-dirs';

// One reference API with demo data serves the release build for every journey; a second one,
// on the next port with its own data, has a clock the journeys may move (`--test-clock`), for
// the journeys about time only, so moving it cannot disturb the others (see
// tests/case-conversation.spec.ts); a third, on the port after, is for the journeys that change
// a person's password or notification settings, which would sign out or re-word the people the
// other journeys use (tests/passwords.spec.ts, tests/settings.spec.ts). Each writes its emails
// into `<data-dir>/outbox/` (no --smtp-url), where a journey reads them. A fourth, for the
// journeys that bring colleagues into an account (tests/colleagues.spec.ts), hands its emails
// to a real SMTP server (aiosmtpd, xtask/smtp_catcher.py) on the port after it, which keeps each
// one as a file the journey reads: the whole way an invitation travels.
// `cargo xtask test` sets these; the defaults suit running `npx playwright test` by hand.
const port = Number(process.env.PORTAL_PORT ?? 18080);
const apiBin = process.env.PORTAL_API_BIN ?? resolve(__dirname, '../target/debug/portal-api');
const dist = process.env.PORTAL_DIST ?? resolve(__dirname, '../dist');

const catcherPython =
  process.env.SMTP_CATCHER_PYTHON ?? resolve(homedir(), '.cache/bird-portal/smtp-catcher-1.4.6/bin/python');
const catcherScript = process.env.SMTP_CATCHER_SCRIPT ?? resolve(__dirname, '../xtask/smtp_catcher.py');

export const baseURL = `http://127.0.0.1:${port}`;

// The journeys open well over a hundred cases as Ada in minutes; the per-person case limit has
// its own tests in the API suite.
function server(at: number, extra = '') {
  return {
    command: `"${apiBin}" --addr 127.0.0.1:${at} --data-dir "${dataDir(at)}" --static-dir "${dist}" --demo --cases-per-hour 100000 --sign-ins-per-minute 100000 --frame-ancestors "'self',http://localhost:${at}"${extra}`,
    url: `http://127.0.0.1:${at}/api/v1/openapi.json`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

// The catcher exits when its standard input closes; `sleep` holds it open until Playwright
// ends the whole process group.
function smtpCatcher(at: number) {
  return {
    command: `sleep 86400 | "${catcherPython}" "${catcherScript}" --port ${at} --dir "${dataDir(at)}"`,
    port: at,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    server(port),
    server(port + 1, ' --test-clock'),
    server(port + 2),
    smtpCatcher(port + 4),
    server(port + 3, ` --smtp-url smtp://127.0.0.1:${port + 4}`),
  ],
});
