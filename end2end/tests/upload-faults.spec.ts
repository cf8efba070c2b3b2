import { test, expect, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ADA, ALEX, apiAs, signIn, baseURLOf, holdCaseReloads } from './helpers';

async function caseWithRequest(base: string, title: string): Promise<string> {
  const ada = await apiAs(base, ADA);
  const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'normal', subject: `Faults ${Date.now()}`, description: 'Deferred mail.' },
  });
  const caseId: string = (await created.json()).id;
  const alex = await apiAs(base, ALEX);
  const raised = await alex.post(`/api/v1/cases/${caseId}/information-requests`, {
    data: { title, description: 'Please attach it.', files_expected: true },
  });
  expect(raised.status()).toBe(201);
  return caseId;
}

async function openCase(page: Page, caseId: string) {
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.goto(`/cases/${caseId}`);
}

test('chunks that meet a 500 and a 503 retry by themselves; an answer whose reply was lost is sent again exactly once', async ({ page }, info) => {
  const base = baseURLOf(info);
  const caseId = await caseWithRequest(base, 'Queue logs');
  await openCase(page, caseId);
  const group = page.getByRole('region', { name: 'Needs your action' }).getByRole('group', { name: 'Queue logs' });

  let patches = 0;
  await page.route('**/api/v1/uploads/*', async (route) => {
    if (route.request().method() !== 'PATCH') return route.continue();
    patches += 1;
    if (patches === 1) return route.fulfill({ status: 500, contentType: 'application/json', body: '{}' });
    if (patches === 2) {
      return route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, contentType: 'application/json', body: '{}' });
    }
    return route.continue();
  });
  const bytes = randomBytes(700 * 1024);
  await group.getByLabel('Upload files for: Queue logs').setInputFiles({ name: 'queue.log', mimeType: 'text/plain', buffer: bytes });
  await expect(group.getByText(/trying again/)).toBeVisible();
  await expect(group.getByText(/^Uploaded/)).toBeVisible({ timeout: 20_000 });
  expect(patches).toBeGreaterThanOrEqual(3);

  // The server records the answer but its reply never arrives; until the person retries, the
  // page's refreshes are held, so only the retry can bring the answer back.
  const release = await holdCaseReloads(page, caseId);
  const keys: string[] = [];
  const statuses: number[] = [];
  await page.route('**/information-requests/*/answer', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    const response = await route.fetch();
    statuses.push(response.status());
    if (keys.length === 1) return route.abort('timedout');
    release();
    return route.fulfill({ response });
  });
  await group.getByLabel('Answer').fill('The queue backed up at 09:00.');
  await group.getByRole('button', { name: 'Send answer' }).click();
  const retry = page.getByRole('button', { name: 'Try again' });
  await expect(retry).toBeVisible();
  await expect(group.getByLabel('Answer')).toHaveValue('The queue backed up at 09:00.');
  await retry.click();
  // Answered, the request leaves "Needs your action" for the case's list of requests.
  const answeredGroup = page.getByRole('region', { name: 'Information requested' }).getByRole('group', { name: 'Queue logs' });
  await expect(answeredGroup.getByText('Answered', { exact: true })).toBeVisible();
  // Sent twice in all, under one key: the lost send, and the one retry the server recognised
  // as that answer (its first reply again, not a refusal of a second answer).
  expect(keys).toHaveLength(2);
  expect(keys[0]).toBeTruthy();
  expect(keys[1]).toBe(keys[0]);
  expect(statuses).toEqual([200, 200]);

  const ada = await apiAs(base, ADA);
  const detail = await (await ada.get(`/api/v1/cases/${caseId}`)).json();
  const answered = detail.timeline.filter((e: { kind: string }) => e.kind === 'information_request_answered');
  expect(answered).toHaveLength(1);
  expect(detail.attachments).toHaveLength(1);
  const body = await (await ada.get(`/api/v1/attachments/${detail.attachments[0].id}`)).body();
  expect(body.equals(bytes)).toBe(true);
});

test('after a reload, picking the same file again continues from where the upload stopped', async ({ page }, info) => {
  const base = baseURLOf(info);
  const caseId = await caseWithRequest(base, 'Mail log');
  const path = info.outputPath('maillog.txt');
  const bytes = randomBytes(3 * 1024 * 1024);
  writeFileSync(path, bytes);
  await openCase(page, caseId);
  const group = () => page.getByRole('region', { name: 'Needs your action' }).getByRole('group', { name: 'Mail log' });

  const offsets: number[] = [];
  await page.route('**/api/v1/uploads/*', async (route) => {
    if (route.request().method() === 'PATCH') {
      offsets.push(Number(route.request().headers()['upload-offset']));
      await new Promise((r) => setTimeout(r, 600));
    }
    return route.continue().catch(() => undefined);
  });
  const firstChunk = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.status() === 204);
  await group().getByLabel('Upload files for: Mail log').setInputFiles(path);
  const acknowledged = Number((await firstChunk).headers()['upload-offset']);
  expect(acknowledged).toBeGreaterThan(0);
  expect(acknowledged).toBeLessThan(bytes.length);

  await page.reload();
  await expect(group()).toBeVisible();
  offsets.length = 0;
  await group().getByLabel('Upload files for: Mail log').setInputFiles(path);
  await expect(group().getByText(/^Uploaded/)).toBeVisible({ timeout: 20_000 });
  expect(offsets[0]).toBeGreaterThanOrEqual(acknowledged);
  // A file for a request joins the case once the answer is sent.
  await group().getByRole('button', { name: 'Send answer' }).click();
  const answered = page.getByRole('region', { name: 'Information requested' }).getByRole('group', { name: 'Mail log' });
  await expect(answered.getByText('Answered', { exact: true })).toBeVisible();

  const ada = await apiAs(base, ADA);
  const detail = await (await ada.get(`/api/v1/cases/${caseId}`)).json();
  expect(detail.attachments).toHaveLength(1);
  const body = await (await ada.get(`/api/v1/attachments/${detail.attachments[0].id}`)).body();
  expect(body.equals(bytes)).toBe(true);
});
