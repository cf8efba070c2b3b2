import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADA, apiAs, baseURLOf, signIn } from './helpers';

const status = (page: import('@playwright/test').Page) =>
  page.getByRole('status').filter({ hasText: /Matching the number or subject|filter as you type|Filtering as you type/ });

test('the case list filters by number and subject as the person types; Enter searches descriptions too', async ({ page }, info) => {
  const ada = await apiAs(baseURLOf(info), ADA);
  const tag = `q${Date.now().toString(36)}`;
  const bySubject = await (await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'normal', subject: `Quasar relay ${tag} drops mail`, description: 'Subject match.' },
  })).json();
  const byDescription = await (await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'low', subject: 'Unrelated subject', description: `Only here: zebra${tag}.` },
  })).json();

  await signIn(page, ADA, '/accounts/acc_acme/cases');
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.click();
  await search.pressSequentially(`quasar relay ${tag.toUpperCase()}`);
  await expect(status(page)).toContainText(/Matching the number or subject: 1 of [\d,]+ cases/);
  await expect(page.getByRole('link', { name: /^CASE-\d+$/ })).toHaveText([bySubject.number]);
  await expect(page).not.toHaveURL(/q=/);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id), 'axe on the list filtered as the person types').toEqual([]);

  // The case number narrows it too, and the list's filters still apply.
  await search.fill('');
  await search.pressSequentially(bySubject.number.toLowerCase());
  await expect(page.getByRole('link', { name: bySubject.number, exact: true })).toBeVisible();
  await page.getByLabel('Status').selectOption('resolved');
  await expect(page).toHaveURL(/status=resolved/);
  await expect(status(page)).toContainText(/Matching the number or subject: 0 of/);
  await expect(page.getByText('No cases match these filters.')).toBeVisible();
  await page.getByLabel('Status').selectOption('');

  // A word only in a description: nothing as they type, the case once the server searches.
  await search.fill('');
  await search.pressSequentially(`zebra${tag}`);
  await expect(status(page)).toContainText(/Matching the number or subject: 0 of/);
  await search.press('Enter');
  await expect(page).toHaveURL(new RegExp(`q=zebra${tag}`));
  await expect(page.getByRole('link', { name: /^CASE-\d+$/ })).toHaveText([byDescription.number]);
  await expect(status(page)).toHaveCount(0);
});

test('when the case index cannot be fetched, the page says so and Enter still searches', async ({ page }) => {
  await page.route('**/api/v1/accounts/*/case-index', (route) => route.fulfill({ status: 500, body: '' }));
  await signIn(page, ADA, '/accounts/acc_acme/cases');
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.click();
  await search.pressSequentially('gmail');
  await expect(status(page)).toContainText('Filtering as you type is not available: press Enter to search on the server.');
  await search.press('Enter');
  await expect(page).toHaveURL(/q=gmail/);
  await expect(page.getByRole('link', { name: /^CASE-\d+$/ }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: /Gmail/ }).first()).toBeVisible();
});

test('a case opened while the list is open is found as the person types once they come back to the field a minute later', async ({ page }, info) => {
  await page.clock.install();
  let fetches = 0;
  page.on('request', (r) => { if (r.url().endsWith('/case-index')) fetches += 1; });
  await signIn(page, ADA, '/accounts/acc_acme/cases');
  const search = page.getByRole('searchbox', { name: 'Search' });
  const indexed = page.waitForResponse((r) => r.url().endsWith('/case-index'));
  await search.click();
  await indexed;
  await page.getByRole('heading', { level: 1, name: 'Cases' }).click();

  const ada = await apiAs(baseURLOf(info), ADA);
  const tag = `late${Date.now().toString(36)}`;
  const late = await (await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'information_request', severity: 'low', subject: `Arrived ${tag} meanwhile`, description: 'Opened by a colleague.' },
  })).json();

  // Back within the minute: the index in hand is used as it is.
  await search.click();
  await search.pressSequentially(tag);
  await expect(status(page)).toContainText(/Matching the number or subject: 0 of/);
  expect(fetches).toBe(1);
  await page.getByRole('heading', { level: 1, name: 'Cases' }).click();

  // A minute later the field fetches it again, and the new case appears as they type.
  await page.clock.fastForward('01:01');
  await search.click();
  await search.fill('');
  await search.pressSequentially(tag);
  await expect(page.getByRole('link', { name: /^CASE-\d+$/ })).toHaveText([late.number]);
  await expect(status(page)).toContainText(/Matching the number or subject: 1 of/);
  expect(fetches).toBe(2);
});
