import { test, expect, type Locator } from '@playwright/test';
import { ADA, apiAs, baseURLOf, signIn } from './helpers';

/** The field is marked and described by its problem, or neither. */
async function refused(field: Locator, problem: string | null) {
  if (problem === null) {
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    await expect(field).not.toHaveAccessibleDescription(/Fill in this field|Enter an email address/);
  } else {
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(new RegExp(problem));
  }
}

test('every form drops a field\'s problem as soon as the field is valid, and keeps the others', async ({ page }, info) => {
  // Sign-in: the problem follows the value as it is typed.
  await page.goto('/login');
  const email = page.getByLabel('Email');
  const password = page.getByLabel('Password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await refused(email, 'Fill in this field');
  await refused(password, 'Fill in this field');
  await email.fill('ada');
  await refused(email, 'Enter an email address');
  await email.fill(ADA);
  await refused(email, null);
  await refused(password, 'Fill in this field');
  await password.fill('portal-demo');
  await refused(password, null);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Mail' })).toBeVisible();

  // New case.
  await page.goto('/accounts/acc_acme/cases/new');
  await page.getByRole('button', { name: 'Submit case' }).click();
  const subject = page.getByLabel('Subject');
  const description = page.getByRole('textbox', { name: 'Description' });
  await refused(subject, 'Fill in this field');
  await refused(description, 'Fill in this field');
  await subject.fill('Bounces from Gmail');
  await refused(subject, null);
  await refused(description, 'Fill in this field');
  await description.fill('Since this morning.');
  await refused(description, null);
  await page.getByRole('button', { name: 'Discard draft' }).click();

  // A reply on a case.
  const ada = await apiAs(baseURLOf(info), ADA);
  const created = await ada.post('/api/v1/accounts/acc_acme/cases', {
    data: { kind: 'problem', severity: 'low', subject: `Forms ${Date.now()}`, description: 'For the form checks.' },
  });
  expect(created.status()).toBe(201);
  await page.goto(`/cases/${(await created.json()).id}`);
  const reply = page.getByRole('textbox', { name: 'Reply' });
  await page.getByRole('button', { name: 'Send reply' }).click();
  await refused(reply, 'Fill in this field');
  await reply.fill('The headers are attached.');
  await refused(reply, null);

  // A reason asked by its button (escalation).
  const escalate = page.getByRole('button', { name: 'Escalate to TAM' });
  await escalate.click();
  const reason = page.getByRole('textbox', { name: 'Reason for escalation' });
  await expect(reason).toBeVisible();
  await escalate.click();
  await refused(reason, 'Fill in this field');
  await reason.fill('Production mail is bouncing.');
  await refused(reason, null);
});
