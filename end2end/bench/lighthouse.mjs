// Lighthouse (desktop preset) on the account page, the case list and a case page, signed in as
// Ada; prints [{page, path, performance, accessibility, best_practices}] (scores 0–100) as JSON.
// Run by experience.bench.ts against the release build it serves (PORTAL_BASE).
import lighthouse from 'lighthouse';
import desktop from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const base = process.env.PORTAL_BASE;
if (!base) throw new Error('PORTAL_BASE is not set');

const session = await fetch(`${base}/api/v1/session`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'lighthouse' },
  body: JSON.stringify({ email: 'ada@acme.example', password: 'portal-demo' }),
});
const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0];
if (!session.ok || !cookie) throw new Error(`sign-in for Lighthouse failed: ${session.status}`);
const cases = await (await fetch(`${base}/api/v1/accounts/acc_acme/cases?limit=1`, { headers: { Cookie: cookie } })).json();
const pages = [
  ['account page', '/accounts/acc_acme'],
  ['case list', '/accounts/acc_acme/cases'],
  ['case page', `/cases/${cases.data[0].id}`],
];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const results = [];
try {
  for (const [page, path] of pages) {
    const run = await lighthouse(`${base}${path}`, {
      port: chrome.port,
      logLevel: 'error',
      output: 'json',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      extraHeaders: { Cookie: cookie },
    }, desktop);
    const score = (id) => Math.round((run.lhr.categories[id]?.score ?? 0) * 100);
    const failing = Object.values(run.lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && ['binary', 'numeric'].includes(a.scoreDisplayMode) && a.details?.type !== 'opportunity')
      .map((a) => a.id);
    results.push({ page, path, performance: score('performance'), accessibility: score('accessibility'), best_practices: score('best-practices'), not_full: failing });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results));
