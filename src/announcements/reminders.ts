/**
 * Reminders around the call's deadline (from the call definition): to people with an unsent
 * draft, at configurable times before it (default 7 days and 1 day), and one note to everyone who
 * sent a contribution when the call closes. Each is an announcement with a unique key, so it is
 * made and sent once, however often the server checks and however many times it restarts; it goes
 * through the same store, pacers, platform rules and opt-out as any announcement.
 *
 * A person's own time zone is not known, so a reminder goes out at a reasonable hour in the call's
 * time zone: the last `hour` o'clock (local) at or before `deadline − offset`.
 */
import type { CallDefinition } from '../domain/call-definition.js';
import { LOCALES } from '../domain/records.js';
import type { CoreTexts } from '../core/bot-core.js';
import type { Logger } from '../core/log.js';
import { AppError } from '../core/errors.js';
import type { Announcements } from './sending.js';
import type { AnnouncementKind, Audience, Texts } from './types.js';

const HOUR = 3600_000;
/** How long after the deadline the closing note may still go out (a server down at the deadline). */
const CLOSING_GRACE_MS = 7 * 24 * HOUR;

export interface ReminderConfig {
  /** Hours before the deadline. */
  offsetsHours: number[];
  /** Local hour (0–23, call's time zone) at which reminders go out. */
  hour: number;
}

export const DEFAULT_REMINDERS: ReminderConfig = { offsetsHours: [7 * 24, 24], hour: 10 };

/** REMINDER_OFFSETS ("7d,1d", "36h") and REMINDER_HOUR ("10"). */
export function reminderConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReminderConfig {
  const offsetsRaw = env.REMINDER_OFFSETS?.trim();
  const hourRaw = env.REMINDER_HOUR?.trim();
  const offsetsHours = offsetsRaw
    ? offsetsRaw.split(',').map((s) => {
        const m = /^(\d+)\s*([dh])$/.exec(s.trim());
        if (!m) throw new AppError('CONFIG_INVALID', `REMINDER_OFFSETS: "${s.trim()}" is not a number of days or hours (e.g. 7d, 36h)`);
        return Number(m[1]) * (m[2] === 'd' ? 24 : 1);
      })
    : DEFAULT_REMINDERS.offsetsHours;
  const hour = hourRaw ? Number(hourRaw) : DEFAULT_REMINDERS.hour;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new AppError('CONFIG_INVALID', 'REMINDER_HOUR must be a whole hour from 0 to 23');
  return { offsetsHours, hour };
}

/** The wall-clock date and hour of an instant in a time zone. */
function localParts(d: Date, tz: string): { y: number; m: number; day: number; h: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric' }).formatToParts(d);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return { y: get('year'), m: get('month'), day: get('day'), h: get('hour') };
}

/** The instant a wall clock in `tz` shows y-m-day at `hour`:00 (two passes for an offset change). */
export function zonedInstant(y: number, m: number, day: number, hour: number, tz: string): Date {
  const wall = Date.UTC(y, m - 1, day, hour);
  let t = wall;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(t), tz);
    const shown = Date.UTC(p.y, p.m - 1, p.day, p.h);
    t += wall - shown;
  }
  return new Date(t);
}

/** When each reminder goes out: the last `hour` o'clock (local) at or before deadline − offset. */
export function reminderTimes(deadline: Date, tz: string, cfg: ReminderConfig): { offsetHours: number; at: Date }[] {
  return cfg.offsetsHours.map((offsetHours) => {
    const target = new Date(deadline.getTime() - offsetHours * HOUR);
    const p = localParts(target, tz);
    let at = zonedInstant(p.y, p.m, p.day, cfg.hour, tz);
    if (at > target) at = new Date(at.getTime() - 24 * HOUR);
    return { offsetHours, at };
  });
}

export interface Due {
  kind: Extract<AnnouncementKind, 'reminder' | 'closing'>;
  key: string;
  expiresAt: Date;
}

/**
 * What is due now. Only the latest reminder whose time has come: a server that was down for the
 * 7-day one and starts 2 days before the deadline sends no "7 days" message.
 */
export function dueNow(call: CallDefinition, now: Date, cfg: ReminderConfig): Due[] {
  const deadline = call.deadline;
  if (!deadline) return [];
  const iso = deadline.toISOString();
  if (now >= deadline) {
    if (now.getTime() - deadline.getTime() > CLOSING_GRACE_MS) return [];
    return [{ kind: 'closing', key: `closing:${call.id}:${iso}`, expiresAt: new Date(deadline.getTime() + CLOSING_GRACE_MS) }];
  }
  const due = reminderTimes(deadline, call.timezone, cfg).filter((r) => r.at <= now);
  if (due.length === 0) return [];
  const latest = due.reduce((a, b) => (a.offsetHours < b.offsetHours ? a : b));
  // Held copies (Messenger) are pointless once the call has closed.
  return [{ kind: 'reminder', key: `reminder:${call.id}:${iso}:${latest.offsetHours}h`, expiresAt: deadline }];
}

export interface RemindersDeps {
  announcements: Announcements;
  call: CallDefinition;
  renderer: Pick<CoreTexts, 'text'>;
  clock: () => Date;
  logger: Logger;
  config?: ReminderConfig;
}

/** Texts for every language; `{{p}}` is left for each platform's command prefix (see message.ts). */
function texts(renderer: Pick<CoreTexts, 'text'>, kind: Due['kind'], call: CallDefinition): Texts {
  const key = kind === 'reminder' ? 'announcements:reminder.draft' : 'announcements:reminder.closed';
  const out: Texts = {};
  for (const lng of LOCALES) out[lng] = renderer.text(key, lng, { deadline: { time: call.deadline!.toISOString() } }, { p: '{{p}}' });
  return out;
}

export class Reminders {
  constructor(private readonly deps: RemindersDeps) {}

  /** Makes and sends what is due; returns the keys it made. Safe to call as often as wanted. */
  async tick(): Promise<string[]> {
    const { announcements, call, clock, logger, renderer } = this.deps;
    const made: string[] = [];
    for (const due of dueNow(call, clock(), this.deps.config ?? DEFAULT_REMINDERS)) {
      const audience: Audience = { who: due.kind === 'reminder' ? 'drafted' : 'contributed' };
      const r = await announcements.create(call.id, { texts: texts(renderer, due.kind, call), audience, expiresAt: due.expiresAt }, 'system:reminders', due.kind, due.key);
      if (!r.created) continue;
      made.push(due.key);
      logger.info('reminder made', { kind: due.kind, announcement: r.id });
      await announcements.send(r.id);
    }
    return made;
  }
}
