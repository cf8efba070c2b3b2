import { test, expect, type Page, type Route } from '@playwright/test';
import { ADA, ALEX, apiAs, baseURLOf, holdCaseReloads, signIn } from './helpers';

/** `acted`: the server did the work before the answer was lost. */
type Fault = { name: string; acted: boolean; inject: (route: Route, page: Page) => Promise<void> };

const FAULTS: Fault[] = [
  { name: 'a 500', acted: false, inject: (r) => r.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"type":"api","code":"internal_error","message":"boom","request_id":"req_fault500"}}' }) },
  { name: 'a 503 with Retry-After', acted: false, inject: (r) => r.fulfill({ status: 503, headers: { 'Retry-After': '2' }, body: 'unavailable' }) },
  // The server did the work but the answer was lost: the retry must not create a second case.
  { name: 'a timeout after the server acted', acted: true, inject: async (r) => { await r.fetch(); await r.abort('timedout'); } },
  { name: 'going offline', acted: false, inject: async (r, page) => { await page.context().setOffline(true); await r.abort('internetdisconnected'); } },
];

/** Every send of one request by the page: its Idempotency-Key, and the server's status (0 for the faulted one). */
type Send = { key: string | undefined; status: number };

/** Faults the first send to `url` (a POST), lets the others through, and records each. */
async function faultFirstSend(page: Page, url: string, fault: Fault, onRetry = () => {}): Promise<Send[]> {
  const sends: Send[] = [];
  await page.route(url, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const key = route.request().headers()['idempotency-key'];
    if (sends.length === 0) {
      sends.push({ key, status: 0 });
      return fault.inject(route, page);
    }
    onRetry();
    const response = await route.fetch();
    sends.push({ key, status: response.status() });
    return route.fulfill({ response });
  });
  return sends;
}

for (const fault of FAULTS) {
  test(`opening a case survives ${fault.name}: plain words, nothing lost, exactly one case`, async ({ page }, info) => {
    const subject = `Fault ${fault.name} ${Date.now()}-${info.workerIndex}`;
    await signIn(page, ADA, '/accounts/acc_acme/cases/new');
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('Description').fill('Testing what happens when the network fails.');
    const sends = await faultFirstSend(page, '**/api/v1/accounts/acc_acme/cases', fault);
    await page.getByRole('button', { name: 'Submit case' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(/Something went wrong on our side|briefly unavailable|could not reach/);
    await expect(page.getByLabel('Subject')).toHaveValue(subject);
    await expect(page.getByLabel('Description')).toHaveValue('Testing what happens when the network fails.');

    await page.context().setOffline(false);
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('heading', { level: 1, name: new RegExp(subject) })).toBeVisible();
    // One retry, under the key of the first send: after a lost answer it gets that case back.
    expect(sends.map((s) => s.status)).toEqual([0, 201]);
    expect(sends[0].key).toBeTruthy();
    expect(sends[1].key).toBe(sends[0].key);

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
  const lost = FAULTS.find((f) => f.acted);
  if (!lost) throw new Error('a fault after the server acted');
  const sends = await faultFirstSend(page, `**/api/v1/cases/${created.id}/messages`, lost);
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByRole('alert')).toContainText('could not reach');
  await expect(page.getByRole('textbox', { name: 'Reply' })).toHaveValue(text);
  await page.getByRole('alert').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText('Your reply was sent.')).toBeVisible();
  expect(sends.map((s) => s.status)).toEqual([0, 201]);
  expect(sends[0].key).toBeTruthy();
  expect(sends[1].key).toBe(sends[0].key);
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

type CaseAction = {
  name: string;
  path: string;
  /** The kind of timeline event the action records: exactly one must exist after recovery. */
  event: string;
  /** Bird proposes first, so the customer can answer the proposal. */
  birdProposes: boolean;
  act: (page: Page) => Promise<void>;
  field?: string;
  /** The button that sends the action again. */
  resend: string;
  gone: string;
};

const ACTIONS: CaseAction[] = [
  {
    name: 'escalating to the TAM', path: 'escalation', event: 'escalation', birdProposes: false, gone: 'Escalate to TAM', resend: 'Escalate to TAM',
    field: 'Reason for escalation',
    act: async (page) => {
      await page.getByRole('button', { name: 'Escalate to TAM' }).click();
      await page.getByRole('textbox', { name: 'Reason for escalation' }).fill('Production mail is stuck.');
      await page.getByRole('button', { name: 'Escalate to TAM' }).click();
    },
  },
  {
    name: 'proposing a resolution', path: 'resolution/propose', event: 'resolution_proposed', birdProposes: false,
    gone: 'Propose resolution', resend: 'Propose resolution', field: 'Resolution summary',
    act: async (page) => {
      await page.getByRole('button', { name: 'Propose resolution' }).click();
      await page.getByRole('textbox', { name: 'Resolution summary' }).fill('Works again since the DNS fix.');
      await page.getByRole('button', { name: 'Propose resolution' }).click();
    },
  },
  {
    name: 'confirming a resolution', path: 'resolution/confirm', event: 'resolution_confirmed', birdProposes: true,
    gone: 'Confirm resolution', resend: 'Confirm resolution',
    act: async (page) => { await page.getByRole('button', { name: 'Confirm resolution' }).click(); },
  },
  {
    name: 'declining a resolution', path: 'resolution/decline', event: 'resolution_declined', birdProposes: true,
    gone: 'Confirm resolution', resend: 'Not resolved', field: 'What is still not working?',
    act: async (page) => {
      await page.getByRole('button', { name: 'Not resolved' }).click();
      await page.getByRole('textbox', { name: 'What is still not working?' }).fill('Outlook still bounces.');
      await page.getByRole('button', { name: 'Not resolved' }).click();
    },
  },
];

for (const action of ACTIONS) {
  for (const fault of FAULTS) {
    test(`${action.name} survives ${fault.name}: it says so, keeps the words, and happens once`, async ({ page }, info) => {
      const base = baseURLOf(info);
      const ada = await apiAs(base, ADA);
      const created = await (await ada.post('/api/v1/accounts/acc_acme/cases', {
        data: { kind: 'problem', severity: 'low', subject: `Action fault ${Date.now()}-${info.workerIndex}`, description: 'd' },
      })).json();
      if (action.birdProposes) {
        const alex = await apiAs(base, ALEX);
        const proposed = await alex.post(`/api/v1/cases/${created.id}/resolution/propose`, { data: { summary: 'Fixed on our side.' } });
        expect(proposed.status()).toBe(200);
      }
      await signIn(page, ADA, `/cases/${created.id}`);
      await expect(page.getByRole('heading', { level: 1 })).toContainText(created.number);
      // Until the person sends it again, the page's reloads are held: only their retry can
      // show what the server did.
      const release = await holdCaseReloads(page, created.id);
      const sends = await faultFirstSend(page, `**/api/v1/cases/${created.id}/${action.path}`, fault, release);
      await action.act(page);
      const alert = page.getByRole('alert');
      await expect(alert).toBeVisible();
      await expect(alert).toContainText(/Something went wrong on our side|briefly unavailable|could not reach/);
      if (action.field) await expect(page.getByRole('textbox', { name: action.field })).not.toHaveValue('');
      await page.context().setOffline(false);
      // The form stays as it was: the person sends it again, once. Case actions carry no
      // Idempotency-Key, so when the server had already acted the retry meets the case as
      // changed (409) and the page shows it as it now is.
      await page.getByRole('button', { name: action.resend }).last().click();
      await expect(page.getByRole('button', { name: action.gone })).toHaveCount(0);
      expect(sends.map((s) => s.status)).toEqual([0, fault.acted ? 409 : 200]);

      const detail = await (await ada.get(`/api/v1/cases/${created.id}`)).json();
      expect(detail.timeline.filter((e: { kind: string }) => e.kind === action.event)).toHaveLength(1);
    });
  }
}
