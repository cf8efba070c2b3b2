import { test, expect, type APIRequestContext } from '@playwright/test';
import { ADA, ALEX, TESS, apiAs, baseURLOf, signIn } from './helpers';

async function openCaseInProgress(ada: APIRequestContext, alex: APIRequestContext, subject: string): Promise<string> {
  const res = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'high', subject, description: 'Yahoo defers our mail.' },
  });
  expect(res.status()).toBe(201);
  const { id } = await res.json();
  expect((await alex.post(`/api/v1/cases/${id}/updates`, { data: { body: 'Looking into it.' } })).status()).toBe(201);
  return id;
}

test('Bird proposes, Ada declines with a reason, Bird proposes again, Ada confirms, rates and reopens', async ({ page }, info) => {
  const ada = await apiAs(baseURLOf(info), ADA);
  const alex = await apiAs(baseURLOf(info), ALEX);
  const id = await openCaseInProgress(ada, alex, `Resolution journey ${Date.now()}`);
  expect((await alex.post(`/api/v1/cases/${id}/resolution/propose`, { data: { summary: 'Yahoo lifted the deferral.' } })).status()).toBe(200);

  await signIn(page, ADA, `/cases/${id}`);
  await expect(page.getByText('Status: Resolution proposed')).toBeVisible();
  await expect(page.getByText(/Alex Moreau \(Support agent\) proposed on .* that this case is resolved/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Propose resolution' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Not resolved' }).click();
  const why = page.getByRole('textbox', { name: 'What is still not working?' });
  await expect(why).toBeFocused();
  await page.getByRole('button', { name: 'Not resolved' }).click();
  await expect(page.getByText('Fill in this field.')).toBeVisible();
  await why.fill('Yahoo still defers half of the messages.');
  await page.getByRole('button', { name: 'Not resolved' }).click();
  await expect(page.getByText('Status: In progress')).toBeVisible();
  await expect(page.getByText('Yahoo still defers half of the messages.')).toBeVisible();

  expect((await alex.post(`/api/v1/cases/${id}/resolution/propose`, { data: { summary: 'The second IP was delisted too.' } })).status()).toBe(200);
  await expect(page.getByText('Status: Resolution proposed')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Confirm resolution' }).click();
  await expect(page.getByText('Status: Resolved')).toBeVisible();
  await expect(page.getByText(/Proposed by Alex Moreau \(Support agent\) on /)).toBeVisible();
  await expect(page.getByText(/Confirmed by Ada Lovelace \(Customer\) on /)).toBeVisible();

  await page.getByRole('radio', { name: '5 out of 5' }).check();
  await page.getByLabel('Comment (optional)').fill('Fast and clear.');
  await page.getByRole('button', { name: 'Send rating' }).click();
  await expect(page.getByText('Rating: 5 out of 5')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send rating' })).toHaveCount(0);

  await expect(page.getByText(/You can reopen this case until/)).toBeVisible();
  await page.getByRole('button', { name: 'Reopen case' }).click();
  await page.getByRole('textbox', { name: 'Reason for reopening' }).fill('Deferrals are back this morning.');
  await page.getByRole('button', { name: 'Reopen case' }).click();
  await expect(page.getByText('Status: In progress')).toBeVisible();
});

test('when the other side answered first, the page says so, refreshes and keeps the text', async ({ page }, info) => {
  const ada = await apiAs(baseURLOf(info), ADA);
  const alex = await apiAs(baseURLOf(info), ALEX);
  const id = await openCaseInProgress(ada, alex, `Race ${Date.now()}`);
  expect((await alex.post(`/api/v1/cases/${id}/resolution/propose`, { data: { summary: 'Fixed.' } })).status()).toBe(200);
  await signIn(page, ADA, `/cases/${id}`);
  await page.getByRole('button', { name: 'Not resolved' }).click();
  await page.getByRole('textbox', { name: 'What is still not working?' }).fill('Still broken for Outlook.');
  // The page's own refresh (every few seconds) is held until the click, so the click always
  // meets the stale page, as a person who typed for a while would.
  let clicked = () => {};
  const click = new Promise<void>((resolve) => { clicked = resolve; });
  await page.route(`**/api/v1/cases/${id}`, async (route) => {
    if (route.request().method() === 'GET') await click;
    await route.continue();
  });
  // Another tab confirms first.
  expect((await ada.post(`/api/v1/cases/${id}/resolution/confirm`)).status()).toBe(200);
  await page.getByRole('button', { name: 'Not resolved' }).click();
  clicked();
  // The answer to the late action stays on screen after the case reloads without its form.
  await expect(page.getByText('Status: Resolved')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Someone changed this at the same time');
  await expect(page.getByRole('button', { name: 'Not resolved' })).toHaveCount(0);
});

test('Ada escalates to the TAM; Tess sees it on the account page and posts an update Ada sees', async ({ browser, page }, info) => {
  const ada = await apiAs(baseURLOf(info), ADA);
  const alex = await apiAs(baseURLOf(info), ALEX);
  const subject = `Escalation journey ${Date.now()}`;
  const id = await openCaseInProgress(ada, alex, subject);

  await signIn(page, ADA, `/cases/${id}`);
  await page.getByRole('button', { name: 'Escalate to TAM' }).click();
  await page.getByRole('textbox', { name: 'Reason for escalation' }).fill('Our Black Friday campaign is blocked.');
  await page.getByRole('button', { name: 'Escalate to TAM' }).click();
  await expect(page.getByText(/Escalated to the TAM on/)).toBeVisible();
  await expect(page.getByText(/Tess Rinaldi (is available now|will see it when their business hours begin)/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Escalate to TAM' })).toHaveCount(0);

  const tess = await browser.newPage();
  await signIn(tess, TESS);
  const escalations = tess.getByRole('region', { name: 'Escalations to acknowledge' });
  await expect(escalations.getByRole('link', { name: new RegExp(subject) })).toBeVisible();
  await tess.getByRole('region', { name: 'Your accounts' }).getByRole('link', { name: 'Acme Mail' }).click();
  const escalated = tess.getByRole('region', { name: 'Escalated to the TAM' });
  await escalated.getByRole('link', { name: new RegExp(subject) }).click();
  await tess.getByRole('textbox', { name: 'Progress update' }).fill('I am on it with the deliverability team.');
  await tess.getByRole('button', { name: 'Post update' }).click();
  await expect(tess.getByText('Your update was posted.')).toBeVisible();
  await expect(page.getByText('I am on it with the deliverability team.')).toBeVisible({ timeout: 15_000 });
  await tess.close();
});
