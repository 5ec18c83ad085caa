/**
 * WhatsApp's sending limits, as Meta documents them by default, each adjustable from the
 * environment (documented in .env.example) because Meta sets them per number:
 * - WHATSAPP_MESSAGES_PER_SECOND: the number's throughput (80; 20 for a number also used in the
 *   WhatsApp Business app; more once Meta upgrades it). Error 130429 beyond.
 * - WHATSAPP_PAIR_SECONDS: about one message per 6 s to one person (error 131056), on average.
 * - WHATSAPP_PAIR_BURST: how many may go at once to a person who was quiet. Meta tolerates bursts
 *   of up to 45, paid back afterwards. 30 keeps a margin and lets a person who taps quickly through
 *   the whole form (about 25 replies in a minute, tried as a new user would) be answered at once;
 *   with 10, every reply after the tenth waited 6 s.
 * - WHATSAPP_PAUSE_SECONDS: how long all sending stops after a 368 (account temporarily blocked)
 *   or a 190 (token refused) before one send tries again (600).
 */
import { AppError } from '../../src/core/index.js';

export interface WhatsAppPacing {
  ratePerSecond: number;
  pairIntervalMs: number;
  pairBurst: number;
  pauseMs: number;
}

export const DEFAULT_PACING: WhatsAppPacing = { ratePerSecond: 80, pairIntervalMs: 6_000, pairBurst: 30, pauseMs: 600_000 };

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new AppError('CONFIG_INVALID', `${name} must be a number of at least ${min}`);
  return n;
}

export function readWhatsAppPacing(env: NodeJS.ProcessEnv = process.env): WhatsAppPacing {
  return {
    ratePerSecond: Math.floor(positive(env, 'WHATSAPP_MESSAGES_PER_SECOND', DEFAULT_PACING.ratePerSecond, 1)),
    pairIntervalMs: positive(env, 'WHATSAPP_PAIR_SECONDS', DEFAULT_PACING.pairIntervalMs / 1000, 0.01) * 1000,
    pairBurst: Math.floor(positive(env, 'WHATSAPP_PAIR_BURST', DEFAULT_PACING.pairBurst, 1)),
    pauseMs: positive(env, 'WHATSAPP_PAUSE_SECONDS', DEFAULT_PACING.pauseMs / 1000, 0.01) * 1000,
  };
}
