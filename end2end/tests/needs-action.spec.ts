import { test, expect, type APIRequestContext } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { ADA, ALEX, TESS, apiAs, baseURLOf, signIn } from './helpers';

/** A new case of Ada's on Acme Mail; answers its id. */
async function newCase(ada: APIRequestContext, subject: string): Promise<string> {
  const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'high', subject, description: 'Gmail bounces our mail.' },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).id;
}

test('Ada answers an information request with text and a file, and confirms a resolution, from "Needs your action" without opening either case', async ({ page }, info) => {
  const base = baseURLOf(info);
  const stamp = `${Date.now()}-${info.workerIndex}`;
  const ada = await apiAs(base, ADA);
  const alex = await apiAs(base, ALEX);
  const asked = await newCase(ada, `Asked ${stamp}`);
  const title = `Bounce logs ${stamp}`;
  const raised = await alex.post(`/api/v1/cases/${asked}/information-requests`, {
    data: { title, description: `The bounce logs of ${stamp}, please.`, files_expected: true },
  });
  expect(raised.status()).toBe(201);
  const proposed = await newCase(ada, `Proposed ${stamp}`);
  const summary = `The deferral of ${stamp} was lifted.`;
  expect((await alex.post(`/api/v1/cases/${proposed}/resolution/propose`, { data: { summary } })).status()).toBe(200);

  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  const region = page.getByRole('region', { name: 'Needs your action' });
  // What is asked, with its case.
  const request = region.getByRole('group', { name: title });
  await expect(request.getByText(`The bounce logs of ${stamp}, please.`)).toBeVisible();
  await expect(region.getByRole('link', { name: new RegExp(`Asked ${stamp}`) })).toBeVisible();

  await request.getByRole('button', { name: 'Answer', exact: true }).click();
  const bytes = randomBytes(64 * 1024);
  await request.getByLabel(`Upload files for: ${title}`).setInputFiles({ name: 'bounces.log', mimeType: 'text/plain', buffer: bytes });
  await expect(request.getByText(/^Uploaded/)).toBeVisible({ timeout: 20_000 });
  await request.getByLabel('Answer', { exact: true }).fill('Attached: one day of bounces.');
  await request.getByRole('button', { name: 'Send answer' }).click();
  await expect(region.getByRole('group', { name: title })).toHaveCount(0);
  await expect(page).toHaveURL(/\/accounts\/acc_acme$/);

  const resolution = region.getByRole('group', { name: new RegExp(`Proposed ${stamp}`) });
  await expect(resolution.getByText(summary)).toBeVisible();
  await resolution.getByRole('button', { name: 'Confirm resolution' }).click();
  await expect(region.getByRole('group', { name: new RegExp(`Proposed ${stamp}`) })).toHaveCount(0);
  await expect(page).toHaveURL(/\/accounts\/acc_acme$/);

  // The API agrees: the answer carries the text and the file, the other case is resolved.
  const answered = await (await ada.get(`/api/v1/cases/${asked}`)).json();
  const answer = answered.information_requests.find((r: { title: string }) => r.title === title).answer;
  expect(answer.text).toBe('Attached: one day of bounces.');
  expect(answer.attachments.map((a: { file_name: string; size: number }) => [a.file_name, a.size])).toEqual([['bounces.log', bytes.length]]);
  expect((await (await ada.get(`/api/v1/cases/${proposed}`)).json()).status).toBe('resolved');
});

test('"New case" on the landing page opens the new-case form, and the header offers it on every page', async ({ page }) => {
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.getByRole('main').getByRole('link', { name: 'New case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Open a support case' })).toBeVisible();
  await expect(page).toHaveURL(/\/accounts\/acc_acme\/cases\/new$/);

  await page.goto('/accounts/acc_acme/tam');
  await expect(page.getByRole('heading', { level: 1, name: 'Technical Account Manager' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Open a support case' })).toBeVisible();
});

test('Tess lands on her worklist, acknowledges an escalation, and Ada sees it on the case', async ({ page, browser }, info) => {
  const base = baseURLOf(info);
  const subject = `Escalated ${Date.now()}-${info.workerIndex}`;
  const ada = await apiAs(base, ADA);
  const id = await newCase(ada, subject);
  expect((await ada.post(`/api/v1/cases/${id}/escalation`, { data: { reason: 'Our campaign is blocked.' } })).status()).toBe(200);

  const tess = await browser.newPage();
  await signIn(tess, TESS);
  await expect(tess.getByRole('heading', { level: 1, name: 'Your worklist' })).toBeVisible();
  await expect(tess.getByRole('heading', { name: 'Your Technical Account Manager' })).toHaveCount(0);
  await expect(tess.getByText('Waiting for you')).toHaveCount(0);
  const escalations = tess.getByRole('region', { name: 'Escalations to acknowledge' });
  // Newest escalation first: the one just made.
  const first = escalations.getByRole('listitem').first();
  await expect(first.getByRole('link', { name: new RegExp(subject) })).toBeVisible();
  await expect(first.getByText('Acme Mail')).toBeVisible();
  await expect(tess.getByRole('region', { name: 'Cases at risk' })).toBeVisible();
  await expect(tess.getByRole('region', { name: 'Your accounts' }).getByRole('link', { name: 'Acme Mail' })).toBeVisible();

  await first.getByRole('button', { name: 'Acknowledge escalation' }).click();
  await expect(escalations.getByRole('link', { name: new RegExp(subject) })).toHaveCount(0);
  await tess.close();

  await signIn(page, ADA, `/cases/${id}`);
  // The case's words for it are the timeline's ("Tess Rinaldi acknowledged the escalation at …").
  await expect(page.getByText(/Tess Rinaldi acknowledged/i).first()).toBeVisible({ timeout: 15_000 });
});
