import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADA, PASSWORD, TESS, apiAs, signIn } from './helpers';
import { accountsURL } from './outbox';

// Ada's settings change here: on the server kept for that (playwright.config.ts), so the emails
// other journeys expect keep their language.

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

test('Ada turns off "New reply" and has her emails in Italian: saved, and still so after a reload', async ({ page }, info) => {
  const origin = accountsURL(info);
  await signIn(page, ADA, `${origin}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.getByRole('link', { name: 'Notification settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notification settings' })).toBeVisible();
  const reply = page.getByRole('checkbox', { name: 'New reply' });
  await expect(reply).toBeChecked();
  await expect(page.getByRole('checkbox')).toHaveCount(9);
  await expect(page.getByRole('checkbox', { name: 'Escalation', exact: true })).toHaveCount(0);
  await expectNoViolations(page, 'notification settings');

  await reply.uncheck();
  await page.getByLabel('Language of emails').selectOption({ label: 'Italiano' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Your settings are saved.')).toBeVisible();

  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'New reply' })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Information requested' })).toBeChecked();
  await expect(page.getByLabel('Language of emails')).toHaveValue('it');
  const ada = await apiAs(origin, ADA);
  const saved = await (await ada.get('/api/v1/me/notification-settings')).json();
  expect(saved.language).toBe('it');
  expect(saved.events.reply).toBe(false);
  expect(saved.events.information_request).toBe(true);
});

test('the settings read in Italian, and on a phone the link is in the menu', async ({ page }, info) => {
  const origin = accountsURL(info);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.addInitScript(() => localStorage.setItem('bird-portal.locale', 'it'));
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email').fill(TESS);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Accedi' }).click();
  // Tess's landing page, not the sign-in page's own heading: a menu opened before the landing
  // navigation would fold with it.
  await expect(page.getByRole('heading', { level: 1, name: 'Le tue attività' })).toBeVisible();
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Impostazioni delle notifiche' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Impostazioni delle notifiche' })).toBeVisible();
  // A TAM is emailed about escalations only.
  await expect(page.getByRole('checkbox')).toHaveCount(1);
  await expect(page.getByRole('checkbox', { name: 'Escalation' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Salva le impostazioni' })).toBeVisible();
  await expectNoViolations(page, 'notification settings (it, 390 px)');
  const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(scrolls, 'nothing scrolls sideways').toBe(false);
});
