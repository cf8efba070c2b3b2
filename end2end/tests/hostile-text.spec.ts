import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADA, ALEX, apiAs, baseURLOf, signIn } from './helpers';

const CORPUS: string[] = JSON.parse(readFileSync(join(__dirname, '../fixtures/hostile-text.json'), 'utf8'));
const subjectOf = (payload: string) => payload.slice(0, 200).trim();
// Elements none of the portal's own pages put inside <main>: any of them would be injected.
const FOREIGN = 'main script, main img, main svg, main iframe, main object, main embed, main video, main audio, main marquee, main details, main style, main link, main meta, main input[autofocus]';

async function guard(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.addInitScript(() => { (window as unknown as { __xss: number }).__xss = 0; });
  return async (where: string) => {
    expect(dialogs, `dialogs on ${where}`).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss: number }).__xss), `script ran on ${where}`).toBe(0);
    expect(await page.locator(FOREIGN).count(), `foreign elements on ${where}`).toBe(0);
  };
}

test(`${CORPUS.length} hostile strings show as literal text in every field, in the API and the portal`, async ({ page }, info) => {
  test.setTimeout(180_000);
  expect(CORPUS.length).toBeGreaterThanOrEqual(100);
  const tag = `xss${Date.now()}`;
  const ada = await apiAs(baseURLOf(info), ADA);
  const alex = await apiAs(baseURLOf(info), ALEX);
  const relay = await (await import('@playwright/test')).request.newContext({ baseURL: baseURLOf(info) });
  const cases: { id: string; number: string; payload: string; asked: boolean; escalated: boolean }[] = [];

  for (const [i, payload] of CORPUS.entries()) {
    const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
      data: { kind: 'problem', severity: 'low', subject: subjectOf(payload), description: `${payload} ${tag}` },
    });
    expect(created.status(), `create #${i}`).toBe(201);
    const c = await created.json();
    expect(c.subject).toBe(subjectOf(payload));
    // Every tenth case also gets an information request answered with a file; every tenth
    // other one, an escalation and a proposed resolution.
    const asked = i % 10 === 3;
    const escalated = i % 10 === 0;
    cases.push({ id: c.id, number: c.number, payload, asked, escalated });
    expect((await ada.post(`/api/v1/cases/${c.id}/messages`, { data: { body: payload } })).status()).toBe(201);
    expect((await alex.post(`/api/v1/cases/${c.id}/updates`, { data: { body: payload } })).status()).toBe(201);
    if (asked) {
      // An information request titled with the payload, answered with it, with a file named by it
      // (ending in .log: only names on the allow-list of file types are taken).
      const raised = await alex.post(`/api/v1/cases/${c.id}/information-requests`, {
        data: { title: subjectOf(payload), description: payload, files_expected: true },
      });
      expect(raised.status(), `request #${i}`).toBe(201);
      const b64 = (text: string) => Buffer.from(text).toString('base64');
      const upload = await ada.post('/api/v1/uploads', {
        headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '2', 'Upload-Metadata': `filename ${b64(`${payload}.log`)},filetype ${b64('text/plain')},case_id ${b64(c.id)}` },
      });
      expect(upload.status(), `upload #${i}`).toBe(201);
      const location = upload.headers()['location'];
      const patched = await ada.patch(location, {
        headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        data: Buffer.from('ok'),
      });
      expect(patched.status(), `chunk #${i}`).toBe(204);
      const attachment = (await (await ada.get(location)).json()).attachment;
      const answered = await ada.post(`/api/v1/cases/${c.id}/information-requests/${(await raised.json()).id}/answer`, {
        data: { text: payload, attachment_ids: [attachment.id] },
      });
      expect(answered.status(), `answer #${i}`).toBe(200);
    }
    if (escalated) {
      expect((await ada.post(`/api/v1/cases/${c.id}/escalation`, { data: { reason: payload } })).status()).toBe(200);
      expect((await alex.post(`/api/v1/cases/${c.id}/resolution/propose`, { data: { summary: payload } })).status()).toBe(200);
    }
    const email = `From: ada@acme.example\r\nSubject: Re: [${c.number}] ${payload.slice(0, 300)}\r\nMessage-ID: <${tag}-${i}@acme.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${payload}\r\n`;
    const relayed = await relay.post('/api/v1/inbound/relay-webhook', {
      headers: { 'X-MessageSystems-Webhook-Token': 'demo-relay-token' },
      data: [{ msys: { relay_message: { msg_from: 'ada@acme.example', rcpt_to: 'support@bird.example', content: { email_rfc822: email } } } }],
    });
    expect(relayed.status(), `relay #${i}`).toBe(200);
  }

  // The API gives every string back exactly as it was sent.
  for (const c of cases.filter((c) => c.escalated)) {
    const detail = await (await ada.get(`/api/v1/cases/${c.id}`)).json();
    expect(detail.description).toBe(`${c.payload} ${tag}`);
    expect(detail.resolution.summary).toBe(c.payload.trim());
  }

  const check = await guard(page);
  await signIn(page, ADA, `/accounts/acc_acme/cases?q=${tag}`);
  const seen = new Set<string>();
  for (let p = 1; ; p++) {
    await expect(page.getByText(`Page ${p}`)).toBeVisible();
    for (const s of await page.locator('td.case-subject').allTextContents()) seen.add(s);
    await check(`case list page ${p}`);
    const next = page.getByRole('button', { name: 'Next page' });
    if ((await next.count()) === 0) break;
    await next.click();
  }
  for (const c of cases) expect(seen.has(subjectOf(c.payload)), `subject shown literally: ${subjectOf(c.payload).slice(0, 60)}`).toBe(true);

  for (const c of cases.filter((c, i) => c.escalated || c.asked || i % 13 === 7)) {
    await page.goto(`/cases/${c.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(c.number);
    await expect(page.locator('.case-description')).toHaveText(`${c.payload} ${tag}`.trim());
    const bodies = await page.locator('.event-body').allTextContents();
    // Ada's message, Alex's update and the relayed email; the escalation's reason and the
    // proposal; a request's title (when the whole payload fits one), its description, and the
    // answer in the timeline and under the request.
    const whole = subjectOf(c.payload) === c.payload.trim();
    const shown = 3 + (c.escalated ? 2 : 0) + (c.asked ? 3 + (whole ? 1 : 0) : 0);
    expect(bodies.filter((b) => b === c.payload.trim()).length, `the payload on ${c.number}`).toBe(shown);
    const requests = page.getByRole('region', { name: 'Information requested' });
    await expect(requests, `requests of ${c.number}`).toHaveCount(c.asked ? 1 : 0);
    if (c.asked) {
      await expect(requests.locator('h3')).toHaveText(subjectOf(c.payload));
      await expect(requests.getByRole('link')).toHaveCount(1);
    }
    await check(`case page ${c.number}`);
  }
  await page.goto('/accounts/acc_acme');
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await check('account page');
});
