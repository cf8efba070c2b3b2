import { test, expect } from '@playwright/test';
import { ADA, ALEX, apiAs, signIn, baseURLOf } from './helpers';

const KINDS = [
  'Problem with Premium Email Services',
  'Configuration request',
  'Information request',
] as const;

test('Ada opens a case of each kind, finds them, keeps a draft across a reload, replies, and sees an agent update live', async ({ page }, info) => {
  const stamp = `${Date.now()}-${info.workerIndex}`;
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();

  const numbers: string[] = [];
  for (const [i, kind] of KINDS.entries()) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('main').getByRole('link', { name: 'New case' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Open a support case' })).toBeVisible();
    await page.getByLabel('Type').selectOption({ label: kind });
    await page.getByLabel('Severity').selectOption({ label: i === 0 ? 'High' : 'Low' });
    await expect(page.getByText(/First response within/)).toBeVisible();
    await page.getByLabel('Subject').fill(`Journey ${stamp} kind ${i}`);
    await page.getByLabel('Description').fill(`What happens for kind ${i}.`);
    if (i === 0) {
      // A reload in the middle of the draft loses nothing.
      await page.reload();
      await expect(page.getByLabel('Subject')).toHaveValue(`Journey ${stamp} kind ${i}`);
      await expect(page.getByLabel('Description')).toHaveValue(`What happens for kind ${i}.`);
      await expect(page.getByLabel('Type')).toHaveValue('problem');
    }
    await page.getByRole('button', { name: 'Submit case' }).click();
    const heading = page.getByRole('heading', { level: 1, name: new RegExp(`Journey ${stamp} kind ${i}`) });
    await expect(heading).toBeVisible();
    numbers.push((await heading.innerText()).split(' · ')[0]);
    await expect(page.getByText('Status: New')).toBeVisible();
    await expect(page.getByText(kind, { exact: true })).toBeVisible();
  }

  // Find them by search and by filter.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await page.getByLabel('Search').fill(`Journey ${stamp}`);
  await page.getByRole('button', { name: 'Search cases' }).click();
  await expect(page).toHaveURL(/q=Journey/);
  for (const n of numbers) await expect(page.getByRole('link', { name: n, exact: true })).toBeVisible();
  await page.getByLabel('Type').selectOption({ label: 'Configuration request' });
  await expect(page.getByRole('link', { name: numbers[1], exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: numbers[0], exact: true })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Type')).toHaveValue('configuration_request');
  await expect(page.getByRole('link', { name: numbers[1], exact: true })).toBeVisible();

  // Reply, then an agent's update arrives without a reload.
  await page.getByRole('link', { name: numbers[1], exact: true }).click();
  await page.getByRole('textbox', { name: 'Reply' }).fill('Here are the DNS records you asked about.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByText('Your reply was sent.')).toBeVisible();
  await expect(page.getByText('Here are the DNS records you asked about.')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Reply' })).toHaveValue('');

  const caseId = new URL(page.url()).pathname.split('/').pop();
  const alex = await apiAs(baseURLOf(info), ALEX);
  const res = await alex.post(`/api/v1/cases/${caseId}/updates`, { data: { body: `Agent update ${stamp}` } });
  expect(res.status()).toBe(201);
  await expect(page.getByText(`Agent update ${stamp}`)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Status: In progress')).toBeVisible({ timeout: 15_000 });
});

test('the new case form names what is missing and sends nothing', async ({ page }) => {
  await signIn(page, ADA, '/accounts/acc_acme/cases/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Open a support case' })).toBeVisible();
  await page.getByRole('button', { name: 'Discard draft' }).click();
  let posted = false;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/cases')) posted = true; });
  await page.getByRole('button', { name: 'Submit case' }).click();
  await expect(page.getByLabel('Subject')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Subject')).toBeFocused();
  await expect(page.getByLabel('Description')).toHaveAttribute('aria-invalid', 'true');
  expect(posted).toBe(false);
});

test('a subject made of markup shows literally', async ({ page }, info) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const ada = await apiAs(baseURLOf(info), ADA);
  const subject = `<img src=x onerror=alert(1)> ${Date.now()}`;
  const res = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'low', subject, description: '<script>alert(2)</script>' },
  });
  expect(res.status()).toBe(201);
  const created = await res.json();
  await signIn(page, ADA, `/cases/${created.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `${created.number} · ${subject}` })).toBeVisible();
  await expect(page.getByText('<script>alert(2)</script>')).toBeVisible();
  expect(await page.getByRole('main').locator('img').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('choosing mailbox-provider mediation says what Premium covers and what it does not', async ({ page }) => {
  await signIn(page, ADA, '/accounts/acc_acme/cases/new');
  await page.getByLabel('Topic (optional)').selectOption({ label: 'Mediation with mailbox providers' });
  await expect(page.getByText(/Tier 1 mediation/)).toBeVisible();
  await expect(page.getByText(/does not include Tier 2/)).toBeVisible();
});
