import { test, expect, type Browser, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { ADA, ALEX, BOB, PASSWORD, apiAs, signIn } from './helpers';
import { colleaguesURL, invitationPathIn, newestCaughtEmailTo } from './smtp-catcher';

// These journeys bring people into Acme's account: they run on the server kept for that
// (playwright.config.ts), whose emails travel over SMTP to a real server the journeys read from.
// The demo's Grace is already Acme's member, so the newcomer invited here is someone new.

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** A page in a browser of its own: the invited person's, who shares nothing with Ada's. */
async function freshPage(browser: Browser, origin: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: origin });
  return context.newPage();
}

/** The subject of one case of an account, as its own people see it. */
async function aCaseSubject(origin: string, email: string, account: string): Promise<string> {
  const api = await apiAs(origin, email);
  const page = await (await api.get(`/api/v1/accounts/${account}/cases?limit=1`)).json();
  return page.data[0].subject as string;
}

test('Ada invites a new colleague by email: she joins, sees Acme\'s cases, follows a case and gets the next reply by email', async ({ page, browser }, info) => {
  test.setTimeout(90_000);
  const origin = colleaguesURL(info);
  const newcomer = `margaret.${Date.now()}@acme.example`;
  await signIn(page, ADA, `${origin}/login`);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.getByRole('link', { name: 'Colleagues' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Colleagues' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Grace Hopper' }).or(page.getByText('Grace Hopper')).first()).toBeVisible();
  await expectNoViolations(page, 'colleagues (admin)');

  await page.getByLabel("Colleague's email").fill(newcomer);
  await expect(page.getByLabel('Role', { exact: true })).toHaveValue('member');
  const sent = Date.now();
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByText(`Invitation sent to ${newcomer}.`)).toBeVisible();
  await expect(page.getByRole('button', { name: `Revoke ${newcomer}` })).toBeVisible();

  // The email went over SMTP; its link is the only way in.
  const invitation = await newestCaughtEmailTo(origin, newcomer, sent);
  expect(invitation).toContain('Ada Lovelace invited you to Acme Mail');
  const link = invitationPathIn(invitation);

  const margaret = await freshPage(browser, origin);
  await margaret.goto(link);
  await expect(margaret.getByRole('heading', { level: 1, name: 'Join Acme Mail' })).toBeVisible();
  await expect(margaret.getByText('Ada Lovelace invited you to Acme Mail as a member.')).toBeVisible();
  await expectNoViolations(margaret, 'invitation');
  await margaret.getByLabel('Your name').fill('Margaret Hamilton');
  await margaret.getByLabel('New password', { exact: true }).fill('short');
  await margaret.getByRole('button', { name: 'Join account' }).click();
  await expect(margaret.getByLabel('New password', { exact: true })).toBeFocused();
  await margaret.getByLabel('New password', { exact: true }).fill('Apollo guidance computer 1969');
  await margaret.getByRole('button', { name: 'Join account' }).click();
  await expect(margaret.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  const acmeSubject = await aCaseSubject(origin, ADA, 'acc_acme');
  await margaret.getByRole('link', { name: 'Cases', exact: true }).first().click();
  await expect(margaret.getByRole('main').getByText(acmeSubject).first()).toBeVisible();

  // The link worked once.
  const again = await freshPage(browser, origin);
  await again.goto(link);
  await expect(again.getByRole('heading', { level: 1, name: 'This invitation link no longer works' })).toBeVisible();

  // Ada opens a case and adds Margaret to it from the case page.
  const ada = await apiAs(origin, ADA);
  const opened = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'high', subject: `Bounces from the EU relay ${Date.now()}`, description: 'Since 09:00.' },
  });
  expect(opened.status()).toBe(201);
  const { id: caseId } = await opened.json();
  await page.goto(`${origin}/cases/${caseId}`);
  const participants = page.getByRole('region', { name: 'Participants' });
  await expect(participants.getByText('No colleague follows this case yet.')).toBeVisible();
  await participants.getByRole('button', { name: 'Add participant' }).click();
  await participants.getByLabel('Colleague').selectOption({ label: 'Margaret Hamilton' });
  const added = Date.now();
  await participants.getByRole('button', { name: 'Add to case' }).click();
  await expect(participants.getByText('Margaret Hamilton')).toBeVisible();
  await expect(page.getByText('Ada Lovelace added Margaret Hamilton')).toBeVisible();
  await expectNoViolations(page, 'case page with participants');
  expect(await newestCaughtEmailTo(origin, newcomer, added)).toContain('Ada Lovelace');

  // The agent's next reply reaches her by email, like the requester.
  const alex = await apiAs(origin, ALEX);
  const replied = Date.now();
  const reply = `We found the relay that bounces: ${Date.now()}`;
  expect((await alex.post(`/api/v1/cases/${caseId}/messages`, { data: { body: reply } })).status()).toBe(201);
  const email = await newestCaughtEmailTo(origin, newcomer, replied);
  expect(email).toContain(reply);
  expect(email).toMatch(/\[CASE-\d+\]/);

  // On her own page of the case she sees that she follows it, and can stop.
  await margaret.goto(`/cases/${caseId}`);
  await expect(margaret.getByRole('region', { name: 'Participants' }).getByRole('button', { name: 'Stop following' })).toBeVisible();
});

test('Bob, in two accounts once he accepts Ada\'s invitation, switches between them and sees only the account on screen', async ({ page }, info) => {
  test.setTimeout(90_000);
  const origin = colleaguesURL(info);
  const ada = await apiAs(origin, ADA);
  const sent = Date.now();
  const invited = await ada.post('/api/v1/accounts/acc_acme/invitations', { data: { email: BOB, role: 'member' } });
  expect(invited.status()).toBe(201);
  const link = invitationPathIn(await newestCaughtEmailTo(origin, BOB, sent));

  await page.goto(`${origin}${link}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Join Acme Mail' })).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveCount(0);
  await expectNoViolations(page, 'invitation (existing user)');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Join account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();

  const acme = await aCaseSubject(origin, ADA, 'acc_acme');
  const globex = await aCaseSubject(origin, BOB, 'acc_globex');
  const switcher = page.getByRole('navigation', { name: 'Account switcher' });
  await switcher.getByRole('button', { name: 'Acme Mail' }).click();
  await expect(switcher.getByRole('link')).toHaveText(['Acme Mail', 'Globex Retail']);
  await switcher.getByRole('link', { name: 'Globex Retail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Globex Retail' })).toBeVisible();
  await expect(switcher.getByRole('button', { name: 'Globex Retail' })).toBeVisible();

  await page.getByRole('link', { name: 'Cases', exact: true }).first().click();
  await expect(page.getByRole('main').getByText(globex).first()).toBeVisible();
  await expect(page.getByText(acme)).toHaveCount(0);

  await switcher.getByRole('button', { name: 'Globex Retail' }).click();
  await switcher.getByRole('link', { name: 'Acme Mail' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.getByRole('link', { name: 'Cases', exact: true }).first().click();
  await expect(page.getByRole('main').getByText(acme).first()).toBeVisible();
  await expect(page.getByText(globex)).toHaveCount(0);
  await expectNoViolations(page, 'case list with the account switcher');
});

test('a member sees Acme\'s colleagues in Italian without an admin\'s controls, at 390 px, with no violation', async ({ page }, info) => {
  const origin = colleaguesURL(info);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.addInitScript(() => localStorage.setItem('bird-portal.locale', 'it'));
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email').fill('grace@acme.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();
  await page.goto(`${origin}/accounts/acc_acme/members`);
  await expect(page.getByRole('heading', { level: 1, name: 'Colleghi' })).toBeVisible();
  await expect(page.getByText('Ada Lovelace')).toBeVisible();
  await expect(page.getByLabel('Email del collega')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Invia invito' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: "Lascia l'account" })).toBeVisible();
  await expectNoViolations(page, 'colleagues (member, it, 390 px)');
  const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(scrolls, 'no sideways scrolling at 390 px').toBe(false);
});
