import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADA, ALEX, apiAs, baseURLOf, signIn } from './helpers';

// The links the emails carry bring the person to what waits on them on the case page, with the
// focus there, and never act for them.

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

async function newCase(ada: APIRequestContext, subject: string): Promise<string> {
  const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'high', subject, description: 'Outlook bounces our mail.' },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).id;
}

test('an information request\'s link opens its answer form with the focus in it, and says so once it is answered', async ({ page }, info) => {
  const base = baseURLOf(info);
  const stamp = `${Date.now()}-${info.workerIndex}`;
  const [ada, alex] = [await apiAs(base, ADA), await apiAs(base, ALEX)];
  const id = await newCase(ada, `Linked request ${stamp}`);
  const raised = await alex.post(`/api/v1/cases/${id}/information-requests`, {
    data: { title: `Headers ${stamp}`, description: 'One bounced message, whole.', files_expected: false },
  });
  expect(raised.status()).toBe(201);
  const request = (await raised.json()).id;

  await signIn(page, ADA, `/cases/${id}?answer=${request}`);
  const region = page.getByRole('region', { name: 'Needs your action' });
  const group = region.getByRole('group', { name: `Headers ${stamp}` });
  await expect(group.getByLabel('Answer', { exact: true })).toBeFocused();
  await expectNoViolations(page, 'case page reached from an information request email');

  await group.getByLabel('Answer', { exact: true }).fill('Attached below.');
  await group.getByRole('button', { name: 'Send answer' }).click();
  await expect(region).toHaveCount(0);
  await page.goto(`/cases/${id}?answer=${request}`);
  await expect(page.getByText('This information request no longer waits for an answer.')).toBeVisible();
});

test('a proposed resolution\'s links bring Ada to "Confirm resolution" or "Not resolved", and nothing happens without her click', async ({ page }, info) => {
  const base = baseURLOf(info);
  const stamp = `${Date.now()}-${info.workerIndex}`;
  const [ada, alex] = [await apiAs(base, ADA), await apiAs(base, ALEX)];
  const id = await newCase(ada, `Linked resolution ${stamp}`);
  const proposed = await alex.post(`/api/v1/cases/${id}/resolution/propose`, { data: { summary: `Fixed ${stamp}.` } });
  expect(proposed.status()).toBe(200);

  await signIn(page, ADA, `/cases/${id}?resolution=confirm`);
  const region = page.getByRole('region', { name: 'Needs your action' });
  await expect(region.getByRole('button', { name: 'Confirm resolution' })).toBeFocused();
  await page.goto(`/cases/${id}?resolution=decline`);
  await expect(region.getByRole('button', { name: 'Not resolved' })).toBeFocused();
  await expect(region.getByLabel('What is still not working?')).toHaveCount(0);
  expect((await (await ada.get(`/api/v1/cases/${id}`)).json()).status, 'nothing was answered').toBe('resolution_proposed');

  await page.keyboard.press('Enter');
  await expect(region.getByLabel('What is still not working?')).toBeFocused();
});
