import { test, expect, request, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ALEX, BOB, PASSWORD, signIn } from './helpers';
import { accountsURL, newestEmailTo, resetPathIn } from './outbox';

// These journeys change passwords: they run on the server kept for that (playwright.config.ts),
// each with a person no other journey there signs in as.

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

async function signInStatus(origin: string, email: string, password: string): Promise<number> {
  const api = await request.newContext({ baseURL: origin });
  return (await api.post('/api/v1/session', { data: { email, password } })).status();
}

const SENT = 'If an account uses this address, we sent a link to it. It works for one hour.';

test('Bob forgot his password: the emailed link sets a new one once, signs him in, and the old one no longer works', async ({ page }, info) => {
  const origin = accountsURL(info);
  await page.goto(`${origin}/login`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  await expectNoViolations(page, 'forgotten password');

  // An address without an account is answered exactly like Bob's.
  await page.getByLabel('Email').fill('nobody@globex.example');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText(SENT)).toBeVisible();
  await expect(page.getByText(SENT)).toBeFocused();
  await page.reload();
  const asked = Date.now();
  await page.getByLabel('Email').fill(BOB);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText(SENT)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Back to sign in' })).toBeVisible();

  const link = resetPathIn(await newestEmailTo(origin, BOB, asked));
  await page.goto(`${origin}${link}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Set a new password' })).toBeVisible();
  await expect(page.getByText('At least 10 characters.')).toBeVisible();
  await expectNoViolations(page, 'new password');
  const fresh = `Globex ${Date.now()} passphrase`;
  await page.getByLabel('New password', { exact: true }).fill('too short');
  await expect(page.getByText('Long enough.')).toHaveCount(0);
  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await expect(page.getByText('At least 10 characters. Long enough.')).toBeVisible();
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Globex Retail' })).toBeVisible();
  await expect(page.getByText('Signed in as Bob')).toBeVisible();

  expect(await signInStatus(origin, BOB, PASSWORD), 'the old password').toBe(401);
  expect(await signInStatus(origin, BOB, fresh), 'the new password').toBe(200);

  // The link works once.
  await page.goto(`${origin}${link}`);
  await page.getByLabel('New password', { exact: true }).fill(`${fresh} again`);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('This link has expired or was already used')).toBeVisible();
  await page.getByRole('link', { name: 'Send a new link' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  expect(await signInStatus(origin, BOB, fresh), 'still the new password').toBe(200);
});

test('Alex changes his password in settings: the current one is checked, his other session ends and this one stays', async ({ page, browser }, info) => {
  const origin = accountsURL(info);
  const elsewhere = await browser.newPage();
  await signIn(elsewhere, ALEX, `${origin}/`);
  await expect(elsewhere.getByRole('heading', { level: 1 })).toBeVisible();

  await signIn(page, ALEX, `${origin}/settings/notifications`);
  await expect(page.getByRole('heading', { level: 1, name: 'Notification settings' })).toBeVisible();
  // Bird's agents are emailed nothing: no switches, only the password.
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await expect(page.getByText('The portal sends no emails to your role')).toBeVisible();
  const form = page.getByRole('region', { name: 'Change password' });
  await form.getByLabel('Current password').fill('not my password');
  await form.getByLabel('New password').fill('a much longer passphrase');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('This is not your current password.')).toBeVisible();
  await expect(form.getByLabel('Current password')).toBeFocused();

  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Your password is changed. You stay signed in here.')).toBeVisible();
  await expect(form.getByLabel('Current password')).toHaveValue('');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Notification settings' })).toBeVisible();
  await elsewhere.reload();
  await expect(elsewhere.getByRole('heading', { level: 1, name: 'Sign in to Bird Premium Support' })).toBeVisible();
  expect(await signInStatus(origin, ALEX, 'a much longer passphrase')).toBe(200);
  await elsewhere.close();
});
