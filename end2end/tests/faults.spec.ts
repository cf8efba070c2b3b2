import { test, expect, type Page, type Route } from '@playwright/test';
import { ADA, apiAs, baseURLOf, signIn } from './helpers';

type Fault = { name: string; inject: (route: Route, page: Page) => Promise<void> };

const FAULTS: Fault[] = [
  { name: 'a 500', inject: (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"type":"api","code":"internal_error","message":"boom","request_id":"req_fault500"}}' }) },
  { name: 'a 503 with Retry-After', inject: (r) => r.fulfill({ status: 503, headers: { 'Retry-After': '2' }, body: 'unavailable' }) },
  // The server did the work but the answer was lost: the retry must not create a second case.
  { name: 'a timeout after the server acted', inject: async (r) => { await r.fetch(); await r.abort('timedout'); } },
  { name: 'going offline', inject: async (r, page) => { await page.context().setOffline(true); await r.abort('internetdisconnected'); } },
];

for (const fault of FAULTS) {
  test(`opening a case survives ${fault.name}: plain words, nothing lost, exactly one case`, async ({ page }, info) => {
    const subject = `Fault ${fault.name} ${Date.now()}-${info.workerIndex}`;
    await signIn(page, ADA, '/accounts/acc_acme/cases/new');
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('Description').fill('Testing what happens when the network fails.');
    let injected = false;
    await page.route('**/api/v1/accounts/acc_acme/cases', async (route) => {
      if (route.request().method() === 'POST' && !injected) {
        injected = true;
        await fault.inject(route, page);
      } else {
        await route.continue();
      }
    });
    await page.getByRole('button', { name: 'Submit case' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(/Something went wrong on our side|briefly unavailable|could not reach/);
    await expect(page.getByLabel('Subject')).toHaveValue(subject);
    await expect(page.getByLabel('Description')).toHaveValue('Testing what happens when the network fails.');

    await page.context().setOffline(false);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(subject) })).toBeVisible();

    const ada = await apiAs(baseURLOf(info), ADA);
    const found = (await (await ada.get(`/api/v1/accounts/acc_acme/cases?q=${encodeURIComponent(subject)}`)).json()).data;
    expect(found.length).toBe(1);
  });
}

test('a reply survives a failed send and is posted once', async ({ page }, info) => {
  const ada = await apiAs(baseURLOf(info), ADA);
  const created = await (await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'low', subject: `Reply fault ${Date.now()}`, description: 'd' },
  })).json();
  await signIn(page, ADA, `/cases/${created.id}`);
  const text = `The headers are attached ${Date.now()}.`;
  await page.getByRole('textbox', { name: 'Reply' }).fill(text);
  let injected = false;
  await page.route(`**/api/v1/cases/${created.id}/messages`, async (route) => {
    if (!injected) { injected = true; await route.fetch(); await route.abort('timedout'); } else { await route.continue(); }
  });
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByRole('alert')).toContainText('could not reach');
  await expect(page.getByRole('textbox', { name: 'Reply' })).toHaveValue(text);
  await page.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText('Your reply was sent.')).toBeVisible();
  const detail = await (await ada.get(`/api/v1/cases/${created.id}`)).json();
  expect(detail.timeline.filter((e: { body?: string }) => e.body === text).length).toBe(1);
});

test('a session that ends mid-draft: sign in again and carry on with the form as it was', async ({ page }, info) => {
  const subject = `Expired session ${Date.now()}-${info.workerIndex}`;
  await signIn(page, ADA, '/accounts/acc_acme/cases/new');
  await page.getByRole('button', { name: 'Discard draft' }).click();
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Description').fill('Written before the session ended.');
  await page.context().clearCookies();
  await page.getByRole('button', { name: 'Submit case' }).click();
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByText(/Your session has ended/).first()).toBeVisible();
  await page.getByLabel('Email').fill(ADA);
  await page.getByLabel('Password').fill('portal-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/accounts\/acc_acme\/cases\/new$/);
  await expect(page.getByText('We restored the draft you started earlier.')).toBeVisible();
  await expect(page.getByLabel('Subject')).toHaveValue(subject);
  await page.getByRole('button', { name: 'Submit case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(subject) })).toBeVisible();
});
