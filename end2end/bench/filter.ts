// Filtering a 10,000-case list as the person types: the portal's case list beside a plain
// JavaScript page doing the same DOM work (filter the same cases by the same rule, draw the
// same 25 rows and status line), typed by the same keystrokes in the same run.
//
// Each keystroke is timed in the page from the keydown event's timestamp to the end of the
// work it started: the input event's handlers and the microtasks they queue (Leptos runs its
// effects there), then a forced layout, read in a task posted from the input event. The count
// in the status line is checked against the expected one at that moment; a keystroke whose
// rows were not yet there waits for them and is counted as such.
import type { Browser } from '@playwright/test';

export const CAROL = 'carol@umbrella.example';
const QUERY = 'outlook blocks';
const RUNS = 3;
const ROWS = 25;

type Summary = { id: string; number: string; subject: string; status: string; severity: string; channel: string; agent: string | null; updated_at: string; escalated: boolean };

export type FilterResult = { keystrokes: number; late: number; median: number; p95: number; runs: number[] };

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
};
const result = (xs: number[], late: number): FilterResult =>
  ({ keystrokes: xs.length, late, median: quantile(xs, 0.5), p95: quantile(xs, 0.95), runs: xs.map((x) => Math.round(x * 100) / 100) });

// Installed in both pages: records one latency per keystroke in window.__latencies.
function instrument(cases: { haystack: string }[]) {
  const w = window as unknown as { __latencies: number[]; __late: number; __missing: number };
  w.__latencies = [];
  w.__late = 0;
  w.__missing = 0;
  let keydown = 0;
  const expected = (value: string) => {
    const needle = value.trim().toLowerCase();
    let n = 0;
    for (const c of cases) if (c.haystack.includes(needle)) n++;
    return `: ${n.toLocaleString('en')} of`;
  };
  const settled = (want: string) =>
    [...document.querySelectorAll('[role=status]')].some((s) => (s.textContent ?? '').includes(want));
  document.addEventListener('keydown', (e) => { keydown = e.timeStamp; }, true);
  document.addEventListener('input', (e) => {
    const input = e.target as HTMLInputElement;
    // Emptying the field between runs is not a keystroke of the query.
    if (input.id !== 'filter-q' || input.value.trim() === '') return;
    const start = keydown;
    const want = expected(input.value);
    const done = () => {
      document.body.getBoundingClientRect();
      w.__latencies.push(performance.now() - start);
    };
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      if (settled(want)) return done();
      w.__late++;
      const observer = new MutationObserver(() => {
        if (settled(want)) { observer.disconnect(); clearTimeout(timer); done(); }
      });
      const timer = setTimeout(() => { observer.disconnect(); w.__missing++; }, 2_000);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    };
    channel.port2.postMessage(null);
  }, true);
}

// The plain JavaScript list: the same table markup and classes as the portal's, rebuilt on
// every keystroke from the same cases and the same matching rule.
function baseline(args: { cases: Summary[]; css: string; rows: number }) {
  const { cases, rows } = args;
  const label: Record<string, string> = {
    new: 'New', in_progress: 'In progress', waiting_on_customer: 'Waiting for you', resolution_proposed: 'Resolution proposed',
    resolved: 'Resolved', critical: 'Critical', high: 'High', normal: 'Normal', low: 'Low', portal: 'Portal', email: 'Email',
  };
  const haystacks = cases.map((c) => `${c.number}\0${c.subject}`.toLowerCase());
  const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
  const el = (tag: string, attrs: Record<string, string>, ...children: (Node | string)[]) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    e.append(...children);
    return e;
  };
  const ago = (iso: string) => {
    const minutes = Math.round((Date.parse(iso) - Date.now()) / 60_000);
    return Math.abs(minutes) < 60 ? relative.format(minutes, 'minute')
      : Math.abs(minutes) < 1440 ? relative.format(Math.round(minutes / 60), 'hour')
      : relative.format(Math.round(minutes / 1440), 'day');
  };
  const link = el('link', { rel: 'stylesheet', href: args.css });
  document.head.append(link);
  const input = el('input', { id: 'filter-q', type: 'search' }) as HTMLInputElement;
  const status = el('p', { class: 'muted', role: 'status' });
  const heads = ['Number', 'Subject', 'Status', 'Severity', 'Channel', 'Agent', 'Updated'];
  const tbody = el('tbody', {});
  const table = el('table', { class: 'case-table' }, el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col' }, h)))), tbody);
  document.body.append(el('main', { class: 'app-main' }, el('label', { for: 'filter-q' }, 'Search'), input, status, table));
  input.addEventListener('input', () => {
    const needle = input.value.trim().toLowerCase();
    let total = 0;
    const shown: Summary[] = [];
    for (let i = 0; i < cases.length; i++) {
      if (haystacks[i].includes(needle)) {
        total++;
        if (shown.length < rows) shown.push(cases[i]);
      }
    }
    status.textContent = `Matching the number or subject: ${total.toLocaleString('en')} of ${cases.length.toLocaleString('en')} cases.`;
    tbody.replaceChildren(...shown.map((c) => el('tr', {},
      el('td', { 'data-label': 'Number' }, el('a', { href: `/cases/${c.id}`, class: 'case-number' }, c.number)),
      el('td', { 'data-label': 'Subject', class: 'case-subject' }, c.subject),
      el('td', { 'data-label': 'Status' }, el('span', { class: `badge status-${c.status}` }, label[c.status] ?? c.status),
        ...(c.escalated ? [' ', el('span', { class: 'badge escalated' }, 'Escalated')] : [])),
      el('td', { 'data-label': 'Severity' }, el('span', { class: `badge severity-${c.severity}` }, label[c.severity] ?? c.severity)),
      el('td', { 'data-label': 'Channel' }, label[c.channel] ?? c.channel),
      el('td', { 'data-label': 'Agent' }, c.agent ?? 'Not assigned yet'),
      el('td', { 'data-label': 'Updated' }, el('time', { datetime: c.updated_at, title: absolute.format(Date.parse(c.updated_at)) }, ago(c.updated_at))),
    )));
  });
}

async function typeRuns(page: import('@playwright/test').Page): Promise<FilterResult> {
  const search = page.locator('#filter-q');
  for (let run = 0; run < RUNS; run++) {
    await search.fill('');
    await page.waitForTimeout(200);
    await search.pressSequentially(QUERY, { delay: 60 });
    await page.waitForTimeout(300);
  }
  const { latencies, late, missing } = await page.evaluate(() => {
    const w = window as unknown as { __latencies: number[]; __late: number; __missing: number };
    return { latencies: w.__latencies, late: w.__late, missing: w.__missing };
  });
  if (missing > 0) throw new Error(`${missing} keystrokes never showed their rows`);
  return result(latencies, late);
}

export async function measureFilter(browser: Browser, base: string, cases: Summary[]) {
  const prepared = cases.map((c) => ({ haystack: `${c.number}\0${c.subject}`.toLowerCase() }));

  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(CAROL);
  await page.getByLabel('Password').fill('portal-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Umbrella Logistics' }).waitFor();
  await page.goto('/accounts/acc_umbrella/cases');
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.waitFor();
  const indexed = page.waitForResponse((r) => r.url().endsWith('/case-index'));
  await search.click();
  await indexed;
  await search.pressSequentially('o');
  await page.getByRole('status').filter({ hasText: 'Matching the number or subject' }).waitFor();
  await page.evaluate(instrument, prepared);
  const portal = await typeRuns(page);
  const css = await page.evaluate(() => (document.querySelector('link[rel=stylesheet]') as HTMLLinkElement).href);
  await context.close();

  const plain = await browser.newPage();
  await plain.setContent('<!DOCTYPE html><html lang="en"><head><title>baseline</title></head><body></body></html>');
  await plain.evaluate(baseline, { cases, css, rows: ROWS });
  await plain.evaluate(instrument, prepared);
  const js = await typeRuns(plain);
  await plain.close();
  return { query: QUERY, cases: cases.length, portal, baseline: js, ratio: portal.median / js.median };
}
