import { test, expect } from '@playwright/test';
import { ADA, BOB, apiAs, baseURLOf, signIn } from './helpers';

test('the case list filters by status in the URL and opens a case', async ({ page }) => {
  await signIn(page, ADA);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  await page.getByLabel('Status').selectOption('resolved');
  await expect(page).toHaveURL(/status=resolved/);
  const rows = page.getByRole('row');
  await expect(rows.nth(1)).toContainText('Resolved');
  const statuses = await page.getByRole('cell').filter({ hasText: /^(New|In progress|Waiting for you|Resolution proposed|Resolved)/ }).allInnerTexts();
  expect(statuses.length).toBeGreaterThan(0);
  for (const s of statuses) expect(s).toContain('Resolved');

  const first = page.getByRole('link', { name: /^CASE-\d+$/ }).first();
  const number = await first.innerText();
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`^${number} · `) })).toBeVisible();
  await expect(page.getByText('Status: Resolved')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
});

test('another account\'s case answers "not found" with nothing of its data', async ({ page, request }) => {
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.goto('/accounts/acc_globex/cases');
  await expect(page.getByRole('alert')).toContainText('could not find');
  await expect(page.getByText('Globex Retail')).toHaveCount(0);
});

test('the list pages 25 cases at a time and shows every case once', async ({ page }, info) => {
  const bob = await apiAs(baseURLOf(info), BOB);
  const list = async () => (await (await bob.get('/api/v1/accounts/acc_globex/cases?limit=100')).json()).data as { number: string }[];
  for (let n = (await list()).length; n < 30; n++) {
    const res = await bob.post('/api/v1/accounts/acc_globex/cases', {
      data: { kind: 'information_request', severity: 'low', subject: `Paging ${n}`, description: 'Filler for paging.' },
    });
    expect(res.status()).toBe(201);
  }
  const total = (await list()).length;

  await signIn(page, BOB, '/accounts/acc_globex/cases');
  await expect(page.getByText('Cases shown: 25')).toBeVisible();
  await expect(page.getByText('Page 1')).toBeVisible();
  const numbers = new Set<string>();
  const collect = async () => { for (const n of await page.getByRole('link', { name: /^CASE-\d+$/ }).allInnerTexts()) numbers.add(n); };
  await collect();
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByText('Page 2')).toBeVisible();
  await collect();
  expect(numbers.size).toBe(total);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page.getByText('Page 1')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Previous page' })).toHaveCount(0);
});
