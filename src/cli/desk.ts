/**
 * npm run icssi -- desk invite --name "NAME" [--role organiser|reader]
 * npm run icssi -- desk revoke NAME
 *
 * Prints a one-time sign-in link to the organisers' desk (src/desk/), or signs someone out
 * everywhere. Both are recorded in the desk's activity log, with the terminal user as who.
 */
import { userInfo } from 'node:os';
import type { TFunction } from 'i18next';
import type { AppConfig } from '../config/env.js';
import { DESK_ROLES, type DeskRole } from '../core/desk-ports.js';
import { buildRuntime } from '../runtime.js';
import { cleanName } from '../desk/invites.js';
import type { Locale } from '../domain/records.js';

export async function deskCommand(opts: { config: AppConfig; args: string[]; name?: string; role?: string; as?: string; t: TFunction; lng: Locale }): Promise<number> {
  const { t } = opts;
  const [sub, positional] = opts.args;
  const name = cleanName(opts.name ?? positional ?? '');
  if ((sub !== 'invite' && sub !== 'revoke') || !name) {
    process.stderr.write(t('desk:cli.usage') + '\n');
    return 2;
  }
  const role = (opts.role?.trim() || 'organiser') as DeskRole;
  if (!DESK_ROLES.includes(role)) {
    process.stderr.write(t('desk:cli.badRole') + '\n');
    return 2;
  }
  const runtime = await buildRuntime(opts.config);
  const { app } = runtime;
  try {
    const invites = runtime.deskInvites();
    const by = `cli:${opts.as?.trim() || userInfo().username}`;
    if (sub === 'invite') {
      const { link, expiresAt } = await invites.invite({ name, role, by });
      const expires = app.core.texts.formatTime(expiresAt.toISOString(), opts.lng);
      process.stdout.write(t('desk:cli.invited', { name, role: t(`desk:role.${role}`), expires, link }) + '\n');
    } else {
      const count = await invites.revoke({ name, by });
      process.stdout.write(t('desk:cli.revoked', { name, count }) + '\n');
    }
    return 0;
  } finally {
    await runtime.close();
  }
}
