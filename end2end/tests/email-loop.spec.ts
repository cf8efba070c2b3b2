import { test, expect } from '@playwright/test';
import { ADA, ALEX, apiAs, signIn, baseURLOf } from './helpers';

// The demo's whole email loop in the browser: Bird asks Ada for information, the email is in
// the demo mailbox (the server's outbox folder), her reply from there goes through the relay
// webhook and answers the request, and the case page shows her answer.
test('an information request emailed to Ada is answered from the demo mailbox and lands on the case', async ({ page }, info) => {
  const base = baseURLOf(info);
  const ada = await apiAs(base, ADA);
  const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'high', subject: `Mail loop ${Date.now()}-${info.workerIndex}`, description: 'Gmail bounces our mail.' },
  });
  expect(created.status()).toBe(201);
  const { id: caseId, number } = await created.json();
  const alex = await apiAs(base, ALEX);
  const raised = await alex.post(`/api/v1/cases/${caseId}/information-requests`, {
    data: { title: 'Bounce headers', description: 'The full headers of one bounce, please.', files_expected: false },
  });
  expect(raised.status()).toBe(201);

  await page.goto('/demo-mailbox/');
  const email = page.getByRole('navigation', { name: 'Emails' }).getByRole('button', { name: `[${number}] Information requested` });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(email).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await email.click();
  await expect(page.getByRole('heading', { level: 2 })).toContainText(`[${number}] Information requested`);
  await expect(page.getByRole('main')).toContainText('The full headers of one bounce, please.');
  await expect(page.getByRole('main')).toContainText(`/cases/${caseId}?answer=`);

  const words = 'Received: from mx.example; 550 5.7.1 message rejected as spam';
  await page.getByLabel('Your reply').fill(words);
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByText(`Bird received your reply on ${number}.`)).toBeVisible();

  await signIn(page, ADA, `/cases/${caseId}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(number);
  await expect(page.getByText(words).first()).toBeVisible();
  await expect(page.getByText('Please type your reply above this line')).toHaveCount(0);
});
