/**
 * Inviting someone to the desk and taking access away: the one operation behind the CLI's
 * `desk invite`/`desk revoke`, Slack's `/icssi desk` and Telegram's `/desk` (each surface only
 * says who asks and where the link goes). A link is valid 24 hours and works once.
 */
import type { DeskRole, DeskStore } from '../core/desk-ports.js';
import type { DeskConfig } from './config.js';
import { hashToken, newToken } from './tokens.js';

export interface DeskInvites {
  /** A new one-time sign-in link for `name`. */
  invite(input: { name: string; role: DeskRole; by: string }): Promise<{ link: string; expiresAt: Date }>;
  /** Ends every session and unused link of `name`; how many sessions ended. */
  revoke(input: { name: string; by: string }): Promise<number>;
}

export const MAX_NAME_CHARS = 80;

/** A person's name as the desk shows it: trimmed, one line, bounded. Empty when unusable. */
export function cleanName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_CHARS);
}

export function deskInvites(deps: { store: DeskStore; config: Pick<DeskConfig, 'publicUrl' | 'inviteHours'>; now: () => Date }): DeskInvites {
  const { store, config } = deps;
  return {
    async invite({ name, role, by }) {
      const token = newToken();
      const at = deps.now();
      const expiresAt = new Date(at.getTime() + config.inviteHours * 3600_000);
      await store.createInvite({ tokenHash: hashToken(token), name, role, createdBy: by, at, expiresAt });
      await store.record({ at, actor: by, action: 'invite', subject: name, detail: role });
      // The token rides in the link once; the sign-in page exchanges it by POST (src/desk/pages/signin.ts).
      return { link: `${config.publicUrl}/signin?t=${token}`, expiresAt };
    },
    async revoke({ name, by }) {
      const ended = await store.revoke(name);
      await store.record({ at: deps.now(), actor: by, action: 'revoke', subject: name, detail: String(ended) });
      return ended;
    },
  };
}
