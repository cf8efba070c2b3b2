import { test, expect } from '@playwright/test';
import { ADA, signIn } from './helpers';

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
