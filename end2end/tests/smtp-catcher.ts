import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type TestInfo } from '@playwright/test';
import { dataDir } from '../data-dirs';
import { baseURLOf } from './helpers';
import { readable } from './outbox';

/** The server for the colleagues' journeys (the config's fourth), which sends real SMTP. */
export function colleaguesURL(info: TestInfo): string {
  const url = new URL(baseURLOf(info));
  url.port = String(Number(url.port) + 3);
  return url.origin;
}

/** The folder the SMTP catcher beside the server at `origin` keeps the messages it accepted in. */
function caughtIn(origin: string): string {
  return dataDir(Number(new URL(origin).port) + 1);
}

/**
 * The newest message the SMTP server accepted for `address` (by its envelope) at or after
 * `since` (ms since the epoch), read as a person would; waits up to 20 s for it to arrive.
 */
export async function newestCaughtEmailTo(origin: string, address: string, since: number): Promise<string> {
  const dir = caughtIn(origin);
  for (let waited = 0; waited < 20_000; waited += 250) {
    const stems = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => f.slice(0, -4)) : [];
    const found = stems
      .sort()
      .reverse()
      .map((stem) => ({ stem, envelope: JSON.parse(readFileSync(join(dir, `${stem}.json`), 'utf8')) }))
      .find(
        ({ envelope }) =>
          envelope.accepted_at * 1000 >= since - 1000 &&
          (envelope.rcpt_tos as string[]).some((to) => to.toLowerCase() === address.toLowerCase()),
      );
    if (found) return readable(readFileSync(join(dir, `${found.stem}.eml`), 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the SMTP server accepted no email to ${address} since ${new Date(since).toISOString()}`);
}

/** The path of the invitation link an email carries: `/invitations/<token>`. */
export function invitationPathIn(email: string): string {
  const found = email.match(/\/invitations\/([A-Za-z0-9_-]{20,})/);
  if (!found) throw new Error(`no invitation link in:\n${email}`);
  return found[0];
}
