/**
 * Telegram's side of bench:telegram, in a process of its own: the fake Bot API that the bot's
 * replies go to, and the people posting their updates to the bot's webhook. On this 2-core machine
 * the bot then is charged only for its own work, as it is in production, where Telegram's servers
 * are elsewhere (played in the bot's own process, Telegram's side took about a third of the CPU).
 * Driven over IPC by bench/telegram-webhook-bench.ts.
 */
import { Agent, request } from 'node:http';
import { SECRET_HEADER } from '../adapters/telegram/webhook.js';
import { FakeBotApi } from '../test/fakes/telegram-bot-api.js';
import { script, WEBHOOK_SECRET } from './telegram-script.js';

type Command = { kind: 'start' } | { kind: 'run'; url: string; participants: number; perPerson: number } | { kind: 'stop' };

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
/** Posts an update; resolves with the status and the answer's body (a method Telegram performs). */
function post(url: string, body: string): Promise<{ status: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [SECRET_HEADER]: WEBHOOK_SECRET } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, answer: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const send = (m: unknown) => process.send!(m);
let api: FakeBotApi | null = null;
process.on('message', (cmd: Command) => {
  void (async () => {
    if (cmd.kind === 'start') {
      api = new FakeBotApi();
      await api.start();
      send({ kind: 'started', apiRoot: api.apiRoot, token: api.token });
    } else if (cmd.kind === 'run') {
      const before = api!.callsOf('sendMessage').length;
      const answersBefore = api!.callsOf('answerCallbackQuery').length;
      const people = Array.from({ length: cmd.participants }, (_, i) => script(9_000_000 + i, cmd.perPerson));
      const started = performance.now();
      let posted = 0;
      await Promise.all(people.map(async (updates) => {
        for (const u of updates) {
          const { status, answer } = await post(cmd.url, JSON.stringify(u));
          if (status !== 200) throw new Error(`webhook answered ${status}`);
          // As Telegram does, here and not in the bot's process.
          await api!.performWebhookAnswer(status, answer);
          posted++;
        }
      }));
      const seconds = (performance.now() - started) / 1000;
      send({ kind: 'ran', posted, seconds, sends: api!.callsOf('sendMessage').length - before, answers: api!.callsOf('answerCallbackQuery').length - answersBefore });
    } else {
      await api?.close();
      agent.destroy();
      send({ kind: 'stopped' });
      process.disconnect();
    }
  })().catch((e: unknown) => {
    send({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  });
});
