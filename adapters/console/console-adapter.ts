/**
 * The console: a chat with the bot in a terminal, on the same Adapter interface the platforms use.
 * On a terminal it prompts; with piped input it reads one message per line and prints the replies,
 * so a conversation can be scripted: printf '1\n1\n' | npm start
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { type Adapter, normaliseDigits, INTL_LOCALE, type Locale, type ConversationRef, type InboundEvent, type OutboundMessage } from '../../src/core/index.js';

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** The handler of inbound events (the core's handle, src/core/bot-core.ts). */
  handle: (event: InboundEvent) => Promise<unknown>;
  /** Who is talking: lets several people share one database in tests. */
  user?: string;
  /** Language hint, e.g. from LANG (ar_IQ.UTF-8). */
  localeHint?: string;
  interactive?: boolean;
}

export function parseConsoleLine(line: string, ref: ConversationRef, localeHint: string | undefined): InboundEvent {
  const base = { id: randomUUID(), platform: 'console' as const, conversation: ref, localeHint, receivedAt: new Date(), raw: line };
  const command = /^\/([a-z0-9_]{1,32})(?:\s+(.*))?$/i.exec(line.trim());
  if (command) return { ...base, kind: 'command', command: command[1]!.toLowerCase(), args: command[2] ?? '' };
  return { ...base, kind: 'message', text: line };
}

export function formatForConsole(message: OutboundMessage): string {
  const lines = [message.text];
  // Numbered choices: the person types the number or the words.
  // A label that already starts with its number ("2. Rebuilding Iraq") is not numbered twice.
  // The numbers are in the digits of the message's language, as its texts are (one digit system
  // per screen: Sorani "١." topic buttons next to "٢)" choices, never "2)").
  const lang = message.lang && message.lang in INTL_LOCALE ? (message.lang as Locale) : 'en';
  const digits = new Intl.NumberFormat(INTL_LOCALE[lang], { useGrouping: false });
  message.choices?.forEach((c, i) => lines.push(normaliseDigits(c.label).startsWith(`${i + 1}.`) ? `  ${c.label}` : `  ${digits.format(i + 1)}) ${c.label}`));
  return lines.join('\n') + '\n';
}

export class ConsoleAdapter implements Adapter {
  readonly name = 'console' as const;
  // Nothing to protect: a person at a terminal, any rate.
  readonly capabilities = { pacing: { ratePerSecond: 1000, perChatMs: 0 } };
  readonly ref: ConversationRef;
  private closed = false;

  constructor(private readonly opts: ConsoleOptions) {
    const user = opts.user ?? 'local';
    this.ref = { platform: 'console', chatId: user, userId: user };
  }

  async send(_ref: ConversationRef, message: OutboundMessage): Promise<void> {
    if (!this.closed) this.opts.output.write(formatForConsole(message) + '\n');
  }

  /** Reads until the input ends (Ctrl-D or the end of a piped script). */
  async start(): Promise<void> {
    const rl = createInterface({ input: this.opts.input, terminal: this.opts.interactive ?? false });
    // Take hold of the lines now: piped input may be read completely while /start is handled,
    // and lines emitted before the iterator exists would be lost.
    const lines = rl[Symbol.asyncIterator]();
    // Opening the console is like pressing Start on a platform: a greeting for a new person, and
    // "welcome back" where a conversation is under way (it continues at its step).
    await this.opts.handle(parseConsoleLine('/start', this.ref, this.opts.localeHint));
    if (this.opts.interactive) {
      rl.setPrompt('> ');
      rl.prompt();
    }
    // One line at a time: each reply is printed before the next line is read.
    for await (const line of lines) {
      await this.opts.handle(parseConsoleLine(line, this.ref, this.opts.localeHint));
      if (this.opts.interactive) rl.prompt();
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
  }
}
