import { test, expect, type Page, type APIRequestContext } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ADA, ALEX, apiAs, signIn, baseURLOf } from './helpers';

/** A fresh case of Ada's with the given information requests raised by Alex, the agent. */
async function caseWithRequests(base: string, label: string, requests: [string, boolean][]): Promise<string> {
  const ada = await apiAs(base, ADA);
  const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'high', subject: `Bounces ${label}`, description: 'Gmail bounces our mail.' },
  });
  expect(created.status()).toBe(201);
  const caseId: string = (await created.json()).id;
  const alex = await apiAs(base, ALEX);
  for (const [title, files] of requests) {
    const raised = await alex.post(`/api/v1/cases/${caseId}/information-requests`, {
      data: { title, description: `Please send the ${title.toLowerCase()}.`, files_expected: files },
    });
    expect(raised.status()).toBe(201);
  }
  return caseId;
}

/** Delays each chunk so the progress bar can be seen between chunks. */
async function slowChunks(page: Page, ms: number) {
  await page.route('**/api/v1/uploads/*', async (route) => {
    if (route.request().method() === 'PATCH') await new Promise((r) => setTimeout(r, ms));
    await route.continue();
  });
}

async function attachmentsOf(api: APIRequestContext, caseId: string) {
  const detail = await (await api.get(`/api/v1/cases/${caseId}`)).json();
  return detail.attachments as { id: string; file_name: string; size: number }[];
}

test('Ada answers two information requests, one with a file (with progress) and one with text; the case goes back to Bird and the file downloads identical', async ({ page }, info) => {
  const base = baseURLOf(info);
  const stamp = `${Date.now()}-${info.workerIndex}`;
  const caseId = await caseWithRequests(base, stamp, [['Bounce logs', true], ['Message headers', false]]);

  await signIn(page, ADA);
  // The account page lists what is waiting on Ada.
  const waiting = page.getByRole('region', { name: 'Needs your action' });
  await expect(waiting.getByRole('link', { name: new RegExp(`Bounces ${stamp}`) }).first()).toBeVisible();
  await expect(waiting.getByText('Bounce logs').first()).toBeVisible();

  await slowChunks(page, 400);
  await page.goto(`/cases/${caseId}`);
  await expect(page.getByText('Status: Waiting for you')).toBeVisible();
  // Open requests are answered above the timeline; once answered they are listed with the
  // case's other requests.
  const region = page.getByRole('region', { name: 'Needs your action' });
  const logs = region.getByRole('group', { name: 'Bounce logs' });
  const headers = region.getByRole('group', { name: 'Message headers' });
  const answered = page.getByRole('region', { name: 'Information requested' });
  await expect(logs).toBeVisible();
  await expect(headers).toBeVisible();

  const bytes = randomBytes(3 * 1024 * 1024 + 123);
  await logs.getByLabel('Upload files for: Bounce logs').setInputFiles({ name: 'bounces.log', mimeType: 'text/plain', buffer: bytes });
  const bar = logs.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuenow', /^\d+$/);
  await expect(logs.getByText(/ of .*\(\d+%\)/).first()).toBeVisible();
  await expect(logs.getByText(/^Uploaded/)).toBeVisible({ timeout: 20_000 });
  await logs.getByRole('button', { name: 'Send answer' }).click();
  const answeredLogs = answered.getByRole('group', { name: 'Bounce logs' });
  await expect(answeredLogs.getByText('Answered', { exact: true })).toBeVisible();
  await expect(logs).toHaveCount(0);

  await headers.getByLabel('Answer').fill('Received: from mx.acme.example by gmail-smtp-in.l.google.com');
  await headers.getByRole('button', { name: 'Send answer' }).click();
  await expect(answered.getByRole('group', { name: 'Message headers' }).getByText('Answered', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Needs your action' })).toHaveCount(0);
  await expect(page.getByText('Status: In progress')).toBeVisible();

  // The file downloads byte for byte, from the link in the answer.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    answeredLogs.getByRole('link', { name: 'bounces.log' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('bounces.log');
  const saved = readFileSync(await download.path());
  expect(saved.equals(bytes)).toBe(true);

  const ada = await apiAs(base, ADA);
  const files = await attachmentsOf(ada, caseId);
  expect(files.map((f) => [f.file_name, f.size])).toEqual([['bounces.log', bytes.length]]);
});

test('A connection lost in the middle of a multi-chunk upload: it resumes from the acknowledged offset and no byte is sent twice', async ({ page, context }, info) => {
  const base = baseURLOf(info);
  const caseId = await caseWithRequests(base, `${Date.now()}-${info.workerIndex}`, [['Bounce logs', true]]);
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.goto(`/cases/${caseId}`);
  const logs = page.getByRole('region', { name: 'Needs your action' }).getByRole('group', { name: 'Bounce logs' });

  // Every chunk that left the page (offset and length) and every offset the server acknowledged.
  const sent: { offset: number; length: number; acknowledgedTo?: number }[] = [];
  const acknowledged: { from: number; to: number }[] = [];
  let patches = 0;
  await page.route('**/api/v1/uploads/*', async (route) => {
    const request = route.request();
    if (request.method() !== 'PATCH') return route.continue();
    const offset = Number(request.headers()['upload-offset']);
    const chunk: { offset: number; length: number; acknowledgedTo?: number } = {
      offset,
      length: request.postDataBuffer()?.length ?? 0,
    };
    sent.push(chunk);
    patches += 1;
    if (patches === 2) {
      // The connection drops with this chunk in flight; it comes back 2 s later.
      await context.setOffline(true);
      setTimeout(() => void context.setOffline(false), 2_000);
      return route.abort('internetdisconnected');
    }
    const response = await route.fetch();
    if (response.status() === 204) {
      chunk.acknowledgedTo = Number(response.headers()['upload-offset']);
      acknowledged.push({ from: offset, to: chunk.acknowledgedTo });
    }
    return route.fulfill({ response });
  });

  const bytes = randomBytes(4 * 1024 * 1024 + 999);
  await logs.getByLabel('Upload files for: Bounce logs').setInputFiles({ name: 'big.log', mimeType: 'text/plain', buffer: bytes });
  await expect(logs.getByText(/trying again/)).toBeVisible();
  await expect(logs.getByText(/^Uploaded/)).toBeVisible({ timeout: 25_000 });

  expect(sent.length).toBeGreaterThanOrEqual(3);
  // The acknowledged chunks tile the file exactly: each starts where the last one ended.
  let at = 0;
  for (const chunk of acknowledged) {
    expect(chunk.from).toBe(at);
    at = chunk.to;
  }
  expect(at).toBe(bytes.length);
  // Every chunk sent (the lost one included) started at the offset acknowledged before it,
  // and the one after the outage re-sent only what had not been acknowledged.
  let acknowledgedSoFar = 0;
  for (const chunk of sent) {
    expect(chunk.offset).toBe(acknowledgedSoFar);
    expect(chunk.offset + chunk.length).toBeLessThanOrEqual(bytes.length);
    if (chunk.acknowledgedTo !== undefined) acknowledgedSoFar = chunk.acknowledgedTo;
  }
  expect(sent.filter((c) => c.acknowledgedTo === undefined)).toHaveLength(1);

  await logs.getByRole('button', { name: 'Send answer' }).click();
  await expect(page.getByText('Status: In progress')).toBeVisible();
  const ada = await apiAs(base, ADA);
  const [file] = await attachmentsOf(ada, caseId);
  const body = await (await ada.get(`/api/v1/attachments/${file.id}`)).body();
  expect(body.equals(bytes)).toBe(true);
});
