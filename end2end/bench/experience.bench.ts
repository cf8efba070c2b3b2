import { test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ADA, ALEX, PASSWORD, apiAs, baseURLOf } from '../tests/helpers';
import { CAROL, measureFilter } from './filter';

const COLD_LOADS = 10;
const TIMELINE_EVENTS = 1_000;
const TIMELINE_RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('experience measurements', async ({ browser }, info) => {
  test.setTimeout(600_000);
  const base = baseURLOf(info);

  // Sign-in page to the account page with cases shown, each in a fresh context (cold cache).
  const signIn: number[] = [];
  for (let i = 0; i < COLD_LOADS; i++) {
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto('/login');
    await page.getByLabel('Email').fill(ADA);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'Open cases' }).getByRole('link').first().waitFor();
    signIn.push(Date.now() - started);
    await context.close();
  }

  // A case with 1,000 timeline events, opened from the case list inside the running app.
  const ada = await apiAs(base, ADA);
  const alex = await apiAs(base, ALEX);
  const subject = `Long timeline ${Date.now()}`;
  const created = await (await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'low', subject, description: 'Many events.' },
  })).json();
  for (let i = 1; i <= TIMELINE_EVENTS - 1; i++) {
    await alex.post(`/api/v1/cases/${created.id}/messages`, { data: { body: `Event ${i}` } });
  }
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(ADA);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Acme Mail' }).waitFor();
  const timeline: number[] = [];
  for (let run = 0; run < TIMELINE_RUNS; run++) {
    await page.goto(`/accounts/acc_acme/cases?q=${encodeURIComponent(subject)}`);
    const link = page.getByRole('link', { name: created.number, exact: true });
    await link.waitFor();
    const started = Date.now();
    await link.click();
    await page.getByText(`Event ${TIMELINE_EVENTS - 1}`, { exact: true }).waitFor();
    timeline.push(Date.now() - started);
  }
  await context.close();
  const shown = (await (await ada.get(`/api/v1/cases/${created.id}`)).json()).timeline.length;

  // Filtering 10,000 cases as the person types, beside plain JavaScript.
  const carol = await apiAs(base, CAROL);
  const index = await (await carol.get('/api/v1/accounts/acc_umbrella/case-index')).json();
  const filter = await measureFilter(browser, base, index.data);

  // Lighthouse in its own Chromium (desktop preset) on three pages of the same server.
  const lighthouse = JSON.parse(execFileSync('node', ['bench/lighthouse.mjs'], {
    env: { ...process.env, PORTAL_BASE: base },
    encoding: 'utf8',
    timeout: 300_000,
  }));

  const out = process.env.BENCH_OUT;
  const result = {
    sign_in_to_cases_ms: { runs: signIn, median: median(signIn) },
    timeline: { events: shown, runs: timeline, median: median(timeline) },
    filter,
    lighthouse,
  };
  if (out) writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
});
