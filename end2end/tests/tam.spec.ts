import { test, expect } from '@playwright/test';
import { ADA, apiAs, baseURLOf, signIn } from './helpers';

test('Ada sees her TAM: contact links, hours, and availability that matches the server\'s clock', async ({ page }, info) => {
  const ada = await apiAs(baseURLOf(info), ADA);
  const tam = await (await ada.get('/api/v1/accounts/acc_acme/tam')).json();
  await signIn(page, ADA);
  const card = page.getByRole('region', { name: 'Your Technical Account Manager' });
  await expect(card.getByText('Tess Rinaldi')).toBeVisible();
  await expect(card.getByRole('link', { name: 'tess@bird.example' })).toHaveAttribute('href', 'mailto:tess@bird.example');
  await expect(card.getByRole('link', { name: '+39 02 1234 5678' })).toHaveAttribute('href', 'tel:+390212345678');
  await expect(card.getByText('Mon–Fri')).toBeVisible();
  // Each reader's clock: 12-hour in English (24-hour in Italian, see sign-in.spec).
  await expect(card.getByText(/9:00\sAM–6:00\sPM/)).toBeVisible();
  await expect(card.getByText(/Europe\/Rome/)).toBeVisible();
  await expect(card.getByText(tam.available_now ? 'Available now' : 'Next available', { exact: false })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Technical Account Manager' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Technical Account Manager' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What your TAM does for you' })).toBeVisible();
  await expect(page.getByText(/IP warm-up/)).toBeVisible();
  await expect(page.getByText(/Tier 2 \(bespoke\) mediation/)).toBeVisible();
  await expect(page.getByText(/guarantee of inbox placement/)).toBeVisible();
  await expect(page.getByText('Company holiday')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'The coming week in your time zone' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy email address' })).toBeVisible();

  await page.getByLabel('Language').selectOption('it');
  await expect(page.getByRole('heading', { name: 'Cosa fa per te il tuo TAM' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Non incluso in Premium Email' })).toBeVisible();
});

test('a viewer nine hours away sees the TAM\'s next hours in their own time', async ({ browser }, info) => {
  const context = await browser.newContext({ timezoneId: 'America/Los_Angeles', locale: 'en-US' });
  const page = await context.newPage();
  const ada = await apiAs(baseURLOf(info), ADA);
  const tam = await (await ada.get('/api/v1/accounts/acc_acme/tam')).json();
  await signIn(page, ADA, '/accounts/acc_acme/tam');
  await expect(page.getByRole('heading', { level: 1, name: 'Technical Account Manager' })).toBeVisible();
  const first = tam.upcoming_hours[0].start as string;
  const expected = new Date(first).toLocaleString('en', { timeZone: 'America/Los_Angeles', hour: '2-digit', minute: '2-digit' });
  await expect(page.locator(`time[datetime^="${first.replace('Z', '')}"]`).first()).toContainText(expected);
  await context.close();
});
