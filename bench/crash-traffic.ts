/**
 * kill -9 in the middle of ordinary traffic (the `traffic` scenario of `npm run bench:crash`):
 * `people` people each go through a whole contribution over Telegram's webhook, as people do: the
 * next answer only once the previous one's reply arrived; a button pressed again when nothing
 * came for 3 s; an update whose webhook did not answer 200 delivered again by Telegram (same
 * update_id) once the bot is back. When a share of the expected replies has been sent, the bot is
 * killed and restarted at once. Measured: every person finishes (a receipt), the replies stored at
 * the kill all arrive after the restart in order, how many replies arrived twice, how many
 * "earlier message" notices were sent, and how long people waited across the restart.
 */
import { performance } from 'node:perf_hooks';
import type { Update } from 'grammy/types';
import type { FakeBotApi } from '../test/fakes/telegram-bot-api.js';
import type { RawTarget } from '../src/storage/raw-connection.js';
import { BotProcess } from '../test/helpers/bot-process.js';
import { Person } from '../test/helpers/telegram.js';
import { textOf } from '../test/helpers/texts.js';
import { storedReplies } from '../test/helpers/stored-replies.js';

export interface TrafficResult {
  people: number;
  finished: number;
  sends: number;
  storedAtKill: number;
  lostOfStored: number;
  repeated: number;
  notices: number;
  pressedAgain: number;
  /** Longest wait of a person for a reply across the restart (ms). */
  longestWaitMs: number;
  listeningAfterRestartMs: number;
  lastStoredArrivedAfterRestartMs: number;
}

type Step = { make: (p: Person) => Update; button: boolean };

const STEPS: Step[] = [
  { make: (p) => p.command('start'), button: false },
  { make: (p) => p.press('lang:en'), button: true },
  { make: (p) => p.press('consent:yes'), button: true },
  { make: (p) => p.press('menu:submit'), button: true },
  { make: (p) => p.press('topic:1'), button: true },
  { make: (p) => p.text('Noor'), button: false },
  { make: (p) => p.press('skip:organisation'), button: true },
  { make: (p) => p.press('skip:country'), button: true },
  { make: (p) => p.press('skip:email'), button: true },
  { make: (p) => p.text(textOf('en', 200)), button: false },
  { make: (p) => p.press('body:done'), button: true },
  { make: (p) => p.press('review:confirm'), button: true },
];

const sends = (api: FakeBotApi, from = 0, chat?: string) =>
  api.calls.slice(from).filter((c) => c.method === 'sendMessage' && (chat === undefined || String(c.params.chat_id) === chat));

/** Resolves when `done` holds (checked at each Bot API call) or after `ms`. */
function until(api: FakeBotApi, done: () => boolean, ms: number): Promise<boolean> {
  if (done()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onCall = () => {
      if (!done()) return;
      clearTimeout(timer);
      api.events.off('call', onCall);
      resolve(true);
    };
    const timer = setTimeout(() => {
      api.events.off('call', onCall);
      resolve(done());
    }, ms);
    api.events.on('call', onCall);
  });
}

export async function trafficCrashRun(opts: { api: FakeBotApi; databaseUrl: string; target: RawTarget; people: number; firstId: number; killAtShare: number }): Promise<TrafficResult> {
  const { api } = opts;
  const runFrom = api.calls.length;
  const people = Array.from({ length: opts.people }, (_, i) => new Person(opts.firstId + i));
  let bot = new BotProcess(api, opts.databaseUrl);
  await bot.listening();
  let back: Promise<void> = Promise.resolve();
  let pressedAgain = 0;
  let longestWaitMs = 0;

  /** Posts until the bot answers 200 (Telegram redelivers the same update while it does not). */
  const deliver = async (u: Update) => {
    for (;;) {
      const current = bot;
      const r = await current.post(api, u).catch(() => null);
      if (r?.status === 200) return;
      await back;
      if (current === bot) await new Promise((res) => setTimeout(res, 200)); // a 5xx: Telegram waits a little
    }
  };

  const person = async (p: Person) => {
    const chat = String(p.id);
    for (const step of STEPS) {
      let update = step.make(p);
      const before = sends(api, runFrom, chat).length;
      const asked = performance.now();
      await deliver(update);
      // A person answers once the reply arrived; pressing again when nothing came for 3 s. After
      // a minute they give up (counted as not finished).
      while (!(await until(api, () => sends(api, runFrom, chat).length > before, 3000))) {
        if (performance.now() - asked > 60_000) return;
        if (!step.button) continue;
        pressedAgain++;
        update = step.make(p);
        await deliver(update);
      }
      longestWaitMs = Math.max(longestWaitMs, performance.now() - asked);
    }
  };

  // About 16 replies per person: kill when the given share of them was sent.
  const killAt = Math.round(opts.people * 16 * opts.killAtShare);
  let stored = new Map<string, string[]>();
  let restartFrom = 0;
  let restartedAt = 0;
  let second: BotProcess | null = null;
  const crash = (async () => {
    await until(api, () => sends(api, runFrom).length >= killAt, 600_000);
    let ready!: () => void;
    back = new Promise((r) => (ready = r));
    await bot.kill('SIGKILL');
    stored = await storedReplies(opts.target);
    restartFrom = api.calls.length;
    second = new BotProcess(api, opts.databaseUrl);
    restartedAt = second.spawnedAt;
    await second.listening();
    bot = second;
    ready();
  })();

  await Promise.all(people.map(person));
  await crash;
  const after = (chat: string) => sends(api, restartFrom, chat).map((c) => c.params.text as string);
  let lostOfStored = 0;
  let repeated = 0;
  let lastStored = 0;
  for (const [chat, texts] of stored) {
    const got = after(chat);
    // The stored replies come first after the restart, in order.
    const prefix = got.slice(0, texts.length);
    lostOfStored += texts.filter((t, i) => prefix[i] !== t).length;
    const beforeKill = sends(api, runFrom, chat).filter((c) => api.calls.indexOf(c) < restartFrom).map((c) => c.params.text as string);
    repeated += texts.filter((t, i) => prefix[i] === t && beforeKill.includes(t)).length;
    const at = sends(api, restartFrom, chat)[texts.length - 1]?.at;
    if (at !== undefined) lastStored = Math.max(lastStored, at - restartedAt);
  }
  const all = sends(api, runFrom);
  const result: TrafficResult = {
    people: opts.people,
    finished: people.filter((p) => all.some((c) => String(c.params.chat_id) === String(p.id) && String(c.params.text).includes('Your receipt code is'))).length,
    sends: all.length,
    storedAtKill: [...stored.values()].flat().length,
    lostOfStored, repeated,
    notices: all.filter((c) => String(c.params.text).includes('earlier message')).length,
    pressedAgain,
    longestWaitMs: Math.round(longestWaitMs),
    listeningAfterRestartMs: Math.round(second!.listeningAt - restartedAt),
    lastStoredArrivedAfterRestartMs: Math.round(lastStored),
  };
  await second!.kill('SIGTERM');
  return result;
}

