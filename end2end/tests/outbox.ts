import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type TestInfo } from '@playwright/test';
import { dataDir } from '../data-dirs';
import { baseURLOf } from './helpers';

/** The server for journeys that change a person's password or settings (the config's third). */
export function accountsURL(info: TestInfo): string {
  const url = new URL(baseURLOf(info));
  url.port = String(Number(url.port) + 2);
  return url.origin;
}

/** The folder the server at `origin` writes its emails into, one `.eml` file each. */
function outboxOf(origin: string): string {
  return join(dataDir(Number(new URL(origin).port)), 'outbox');
}

/** An email's texts as a person reads them: quoted-printable undone, base64 parts decoded. */
export function readable(eml: string): string {
  const unfolded = eml.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  const decoded = eml
    .split(/\r?\n\r?\n/)
    .map((block) => block.replace(/\s+/g, ''))
    .filter((block) => block.length >= 40 && /^[A-Za-z0-9+/]+=*$/.test(block))
    .map((block) => Buffer.from(block, 'base64').toString('utf8'));
  return [unfolded, ...decoded].join('\n');
}

function headerOf(eml: string): string {
  return eml.split(/\r?\n\r?\n/)[0] ?? '';
}

/**
 * The newest email to `address` written at or after `since` (ms since the epoch) by the server
 * at `origin`, read as a person would; waits up to 20 s for the sender to deliver it.
 */
export async function newestEmailTo(origin: string, address: string, since: number): Promise<string> {
  const outbox = outboxOf(origin);
  const to = new RegExp(`^To:.*${address.replace(/[.+]/g, '\\$&')}`, 'im');
  for (let waited = 0; waited < 20_000; waited += 250) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
    const newest = files
      .map((f) => ({ path: join(outbox, f), at: statSync(join(outbox, f)).mtimeMs }))
      .filter((f) => f.at >= since - 1000)
      .sort((a, b) => b.at - a.at)
      .map((f) => readFileSync(f.path, 'utf8'))
      .find((eml) => to.test(headerOf(eml)));
    if (newest) return readable(newest);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no email to ${address} in ${outbox} since ${new Date(since).toISOString()}`);
}

/** The path of the password reset link an email carries: `/reset-password/<token>`. */
export function resetPathIn(email: string): string {
  const found = email.match(/\/reset-password\/([A-Za-z0-9_-]{20,})/);
  if (!found) throw new Error(`no reset link in:\n${email}`);
  return found[0];
}
