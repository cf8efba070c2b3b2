import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADA, PASSWORD, TESS, apiAs, baseURLOf, signIn } from './helpers';

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

for (const locale of ['en', 'it'] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`every page has no axe violations (${locale}, ${scheme})`, async ({ page }, info) => {
      // Eight pages, each loaded afresh and waited on until the network is quiet, then analysed.
      test.setTimeout(90_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.addInitScript((l) => localStorage.setItem('bird-portal.locale', l), locale);
      await page.goto('/login');
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoViolations(page, 'sign-in');

      const ada = await apiAs(baseURLOf(info), ADA);
      const cases = (await (await ada.get('/api/v1/accounts/acc_acme/cases?status=resolved&limit=1')).json()).data;
      const waiting = (await (await ada.get('/api/v1/accounts/acc_acme/cases?status=waiting_on_customer&limit=1')).json()).data;
      await page.getByLabel('Email').fill(ADA);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: locale === 'it' ? 'Accedi' : 'Sign in' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
      await expect(page.locator('.tam-card .tam-name')).toBeVisible();
      for (const [path, what] of [
        ['/accounts/acc_acme', 'account page'],
        ['/accounts/acc_acme/cases', 'case list'],
        ['/accounts/acc_acme/cases/new', 'new case'],
        ['/accounts/acc_acme/tam', 'TAM page'],
        [`/cases/${cases[0].id}`, 'case page (resolved)'],
        [`/cases/${waiting[0].id}`, 'case page (information requested, upload form)'],
        ['/nowhere', 'not found'],
      ]) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await page.waitForLoadState('networkidle');
        await expectNoViolations(page, `${what} (${locale}, ${scheme})`);
      }
    });
  }
}

test('the TAM\'s book of accounts has no axe violations', async ({ page }) => {
  await signIn(page, TESS);
  await expect(page.getByRole('heading', { level: 1, name: 'Your worklist' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectNoViolations(page, 'accounts');
});

test('at 320 px nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await signIn(page, ADA);
  for (const path of ['/accounts/acc_acme', '/accounts/acc_acme/cases', '/accounts/acc_acme/tam', '/accounts/acc_acme/cases/new']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test('after following a link, focus moves to the new page\'s content; the skip link reaches it too', async ({ page }) => {
  await signIn(page, ADA);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  await expect(page.locator('#main')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('main').getByRole('link', { name: 'New case' })).toBeFocused();

  // A redirect the person did not ask for (here `/` to the home page) leaves focus alone, so
  // the first Tab still reaches the skip link.
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await expect(page).toHaveURL(/\/accounts\/acc_acme$/);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
});
