import { test, expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADA, ALEX, TESS, apiAs, baseURLOf, signIn } from './helpers';

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

type Created = { id: string; number: string; created_at: string; first_response_due_at?: string | null };

async function openCase(ada: APIRequestContext, subject: string, severity = 'high'): Promise<Created> {
  const res = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity, subject, description: 'Yahoo defers our mail.' },
  });
  expect(res.status()).toBe(201);
  return res.json();
}

/** The server whose clock the journeys may move (playwright.config.ts: the next port). */
function clockURL(info: TestInfo): string {
  const url = new URL(baseURLOf(info));
  url.port = String(Number(url.port) + 1);
  return url.origin;
}

test('a reply on a resolved case offers to reopen it or to open a follow-up case, which names the case it follows', async ({ page }, info) => {
  const base = baseURLOf(info);
  const ada = await apiAs(base, ADA);
  const alex = await apiAs(base, ALEX);
  const original = await openCase(ada, `Back again ${Date.now()}-${info.workerIndex}`);
  expect((await alex.post(`/api/v1/cases/${original.id}/updates`, { data: { body: 'Looking into it.' } })).status()).toBe(201);
  expect((await alex.post(`/api/v1/cases/${original.id}/resolution/propose`, { data: { summary: 'Yahoo lifted the deferral.' } })).status()).toBe(200);
  expect((await ada.post(`/api/v1/cases/${original.id}/resolution/confirm`)).status()).toBe(200);

  await signIn(page, ADA, `/cases/${original.id}`);
  await expect(page.getByText('Status: Resolved')).toBeVisible();
  // The conversation: Bird's update under its own heading, the agreement as a line that says
  // where the case went, not credited to a person as a status change.
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByRole('article', { name: /^Progress update Alex Moreau Support agent/ })).toBeVisible();
  await expect(timeline.getByText('Status changed to Resolved')).toHaveCount(1);

  await page.getByRole('textbox', { name: 'Reply' }).fill('The deferrals are back since this morning.');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByText(/Your reply was added to the case\. The case stays resolved/)).toBeVisible();
  await expect(timeline.getByText('The deferrals are back since this morning.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reopen case' })).toBeVisible();
  await expectNoViolations(page, 'a resolved case after a reply');
  await page.getByRole('link', { name: 'Open a follow-up case' }).click();

  await expect(page).toHaveURL(new RegExp(`/accounts/acc_acme/cases/new\\?follow_up_of=${original.id}$`));
  await expect(page.getByRole('link', { name: `Follow-up of ${original.number}` })).toBeVisible();
  const subject = `Follow-up ${Date.now()}-${info.workerIndex}`;
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Description').fill('The deferrals came back after the fix.');
  await page.getByRole('button', { name: 'Submit case' }).click();

  await expect(page.getByRole('heading', { level: 1, name: new RegExp(subject) })).toBeVisible();
  const back = page.getByRole('link', { name: `Follow-up of ${original.number}` });
  await expect(back).toBeVisible();
  await back.click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(original.number) })).toBeVisible();
});

test('the TAM acknowledges an escalation on the case page, and the customer sees who did and when', async ({ browser, page }, info) => {
  const base = baseURLOf(info);
  const ada = await apiAs(base, ADA);
  const alex = await apiAs(base, ALEX);
  const escalated = await openCase(ada, `Acknowledge me ${Date.now()}-${info.workerIndex}`);
  expect((await alex.post(`/api/v1/cases/${escalated.id}/updates`, { data: { body: 'Looking into it.' } })).status()).toBe(201);
  expect((await ada.post(`/api/v1/cases/${escalated.id}/escalation`, { data: { reason: 'Our launch is blocked.' } })).status()).toBe(200);

  await signIn(page, TESS, `/cases/${escalated.id}`);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(escalated.number) })).toBeVisible();
  // Not the customer's cards: no "Escalate to your TAM", no empty "Resolution".
  await expect(page.getByRole('heading', { name: 'Escalate to your TAM' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Resolution', exact: true })).toHaveCount(0);
  await expectNoViolations(page, "the TAM's escalated case");
  await page.getByRole('button', { name: 'Acknowledge escalation' }).click();
  await expect(page.getByText(/^Tess Rinaldi acknowledged the escalation at .+\.$/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Acknowledge escalation' })).toHaveCount(0);

  const customer = await browser.newPage();
  await signIn(customer, ADA, `/cases/${escalated.id}`);
  await expect(customer.getByText(/^Tess Rinaldi acknowledged the escalation at .+\.$/)).toBeVisible();
  await expect(customer.getByRole('button', { name: 'Acknowledge escalation' })).toHaveCount(0);
  await customer.close();
});

test('a case waiting for its first answer says when it is due and how long is left, until an agent answers', async ({ page }, info) => {
  const base = baseURLOf(info);
  const ada = await apiAs(base, ADA);
  const fresh = await openCase(ada, `When will they answer ${Date.now()}-${info.workerIndex}`);

  await signIn(page, ADA, `/cases/${fresh.id}`);
  const due = page.getByRole('paragraph').filter({ hasText: 'First response due' });
  await expect(due).toBeVisible();
  await expect(due).toContainText(/in (\d+ d \d+ h|\d+ h \d+ min|\d+ min)/);
  await expect(page.getByText('Overdue', { exact: true })).toHaveCount(0);

  const alex = await apiAs(base, ALEX);
  expect((await alex.post(`/api/v1/cases/${fresh.id}/updates`, { data: { body: 'Looking into it.' } })).status()).toBe(201);
  await expect(page.getByText(/First response due/)).toHaveCount(0, { timeout: 15_000 });
});

/** Opens `path` on `origin`, signing in again if the session ended meanwhile. */
async function openSignedIn(page: Page, origin: string, path: string) {
  await page.goto(`${origin}${path}`);
  const signInButton = page.getByRole('button', { name: 'Sign in' });
  await expect(page.getByRole('heading', { level: 1 }).or(signInButton).first()).toBeVisible();
  if (await signInButton.isVisible()) await signIn(page, ADA, `${origin}${path}`);
}

test('"Overdue" appears on the case once its first-response target passes by the server\'s clock', async ({ page }, info) => {
  // Only this journey moves time, on its own server.
  const clock = clockURL(info);
  const ada = await apiAs(clock, ADA);
  const late = await openCase(ada, `Nobody answered ${Date.now()}-${info.workerIndex}`, 'critical');
  expect(late.first_response_due_at).toBeTruthy();

  await signIn(page, ADA, `${clock}/cases/${late.id}`);
  await expect(page.getByText(/First response due/)).toBeVisible();
  await expect(page.getByText('Overdue', { exact: true })).toHaveCount(0);

  const ahead = Date.parse(late.first_response_due_at ?? '') - Date.parse(late.created_at);
  const moved = await ada.post('/api/v1/test-clock', { data: { advance_seconds: Math.ceil(ahead / 1000) + 120 } });
  expect(moved.ok()).toBeTruthy();
  // The open page learns it with its next refresh; a fresh load shows it too.
  await expect(page.getByText('Overdue', { exact: true }).or(page.getByRole('button', { name: 'Sign in' })).first())
    .toBeVisible({ timeout: 15_000 });
  await openSignedIn(page, clock, `/cases/${late.id}`);
  await expect(page.getByText('Overdue', { exact: true })).toBeVisible();
  await expect(page.getByText(/First response due/)).toBeVisible();

  // The list and the account page mark it too (it is the most recently updated case).
  await openSignedIn(page, clock, '/accounts/acc_acme/cases');
  await expect(page.getByRole('row').filter({ hasText: late.number }).getByText('Overdue', { exact: true })).toBeVisible();
  await openSignedIn(page, clock, '/accounts/acc_acme');
  await expect(page.getByRole('listitem').filter({ hasText: late.number }).getByText('Overdue', { exact: true }).first())
    .toBeVisible();
});
