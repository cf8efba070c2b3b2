import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADA, apiAs, baseURLOf, signIn } from './helpers';

type Created = { id: string; number: string; subject: string; description: string };

async function openCase(ada: APIRequestContext, subject: string): Promise<Created> {
  const description = `What ${subject} is about.`;
  const res = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'low', subject, description },
  });
  expect(res.status()).toBe(201);
  const created = await res.json();
  return { id: created.id, number: created.number, subject, description };
}

/** The case on screen is `c`: its heading, its description, and the address. */
async function showsCase(page: Page, c: Created) {
  await expect(page).toHaveURL(new RegExp(`/cases/${c.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${c.number} · ${c.subject}`);
  await expect(page.getByText(c.description, { exact: true })).toBeVisible();
}

async function twoCases(ada: APIRequestContext, worker: number): Promise<[Created, Created]> {
  const stamp = `${Date.now()}-${worker}`;
  return [await openCase(ada, `Navigation first ${stamp}`), await openCase(ada, `Navigation second ${stamp}`)];
}

test('from one case to another through the account page, then back and forward', async ({ page }, info) => {
  const [first, second] = await twoCases(await apiAs(baseURLOf(info), ADA), info.workerIndex);
  await signIn(page, ADA, `/cases/${first.id}`);
  await showsCase(page, first);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account', exact: true }).click();
  await page.getByRole('link', { name: `${second.number} ${second.subject}` }).click();
  await showsCase(page, second);

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.goBack();
  await showsCase(page, first);
  await page.goForward();
  await page.goForward();
  await showsCase(page, second);
});

test('a link from one case straight to another shows the other case, and back shows the first again', async ({ page }, info) => {
  const [first, second] = await twoCases(await apiAs(baseURLOf(info), ADA), info.workerIndex);
  await signIn(page, ADA, `/cases/${first.id}`);
  await showsCase(page, first);
  // The route stays the same and only `:case_id` changes, as with a link on one case page to
  // another (the "Needs your action" region will have them). Such a link, in the page:
  await page.evaluate((href) => {
    const link = document.createElement('a');
    link.href = href;
    link.textContent = 'The other case';
    document.getElementById('main')?.append(link);
  }, `/cases/${second.id}`);
  await page.getByRole('link', { name: 'The other case' }).click();
  await showsCase(page, second);
  await expect(page.getByText(first.description, { exact: true })).toHaveCount(0);

  await page.goBack();
  await showsCase(page, first);
  await page.goForward();
  await showsCase(page, second);
});
