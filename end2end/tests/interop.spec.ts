import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import * as tus from 'tus-js-client';
import { ADA, apiAs, baseURLOf } from './helpers';

test('an independent tus client (tus-js-client, in Node) uploads through the tus endpoint with a bearer token', async ({}, info) => {
  const base = baseURLOf(info);
  const ada = await apiAs(base, ADA);
  const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'normal', subject: 'tus interop', description: 'An upload from another client.' },
  });
  const caseId: string = (await created.json()).id;
  const token: string = (await (await ada.post('/api/v1/tokens')).json()).token;

  const data = randomBytes(3 * 1024 * 1024 + 7);
  const url = await new Promise<string>((resolve, reject) => {
    const upload = new tus.Upload(data, {
      endpoint: `${base}/api/v1/uploads`,
      chunkSize: 1024 * 1024,
      headers: { Authorization: `Bearer ${token}` },
      metadata: { filename: 'interop.log', filetype: 'application/octet-stream', case_id: caseId },
      retryDelays: [0, 500, 1000],
      onError: reject,
      onSuccess: () => resolve(upload.url ?? ''),
    });
    upload.start();
  });
  expect(url).toMatch(/\/api\/v1\/uploads\/upl_/);

  const state = await (await ada.get(url)).json();
  expect(state.offset).toBe(data.length);
  expect(state.attachment.file_name).toBe('interop.log');
  const body = await (await ada.get(`/api/v1/attachments/${state.attachment.id}`)).body();
  expect(body.equals(data)).toBe(true);
});
