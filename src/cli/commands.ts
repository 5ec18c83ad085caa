/**
 * The CLI's commands: the organisers' commands of the table (src/organisers/commands.ts) that the
 * CLI offers, each with its handler, then the operators' commands, which stay here (see the
 * table's comment for why). The help is generated from both lists, in order.
 */
import { parseArgs } from 'node:util';
import type { i18n as I18n, TFunction } from 'i18next';
import type { AppConfig } from '../config/env.js';
import type { CallDefinition } from '../domain/call-definition.js';
import type { Locale } from '../domain/records.js';
import { commandsOn, type CommandsOn } from '../organisers/commands.js';
import { openStore } from '../storage/open-store.js';
import { announce, listAnnouncements } from './announce.js';
import { deskCommand } from './desk.js';
import { backupCommand, copyToCommand } from './ops.js';
import { purge } from './purge.js';
import { exportCommand, statsCommand } from './reports.js';
import { review } from './review.js';

export function parseCliArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      lang: { type: 'string' },
      note: { type: 'string' },
      as: { type: 'string' },
      // desk
      name: { type: 'string' },
      role: { type: 'string' },
      // announce
      'text-en': { type: 'string' },
      'text-ar': { type: 'string' },
      'text-ckb': { type: 'string' },
      to: { type: 'string' },
      topic: { type: 'string' },
      platform: { type: 'string' },
      language: { type: 'string' },
      expires: { type: 'string' },
      // announce and purge
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      resume: { type: 'string' },
    },
  });
}

export interface CliContext {
  config: AppConfig;
  i18n: I18n;
  call: CallDefinition;
  t: TFunction;
  lng: Locale;
  values: ReturnType<typeof parseCliArgs>['values'];
  /** The words after the command's name. */
  args: string[];
}

type CliHandler = (cx: CliContext) => Promise<number>;

/** One handler per organiser command the table gives the CLI: a missing one does not compile. */
const ORGANISER_HANDLERS: Record<CommandsOn<'cli'>, CliHandler> = {
  stats: (cx) => statsCommand({ ...cx, json: cx.values.json === true }),
  export: (cx) => exportCommand({ ...cx, format: cx.values.format, output: cx.values.output }),
  review: ({ config, args, values, t }) => review({ config, args, note: values.note, as: values.as, t }),
  announce: ({ config, t, lng, values }) => announce({ config, t, lng, values }),
  announcements: ({ config, t, lng }) => listAnnouncements({ config, t, lng }),
  purge: ({ config, values, t }) => purge({ config, dryRun: values['dry-run'] === true, force: values.force === true, t }),
  desk: ({ config, args, values, t, lng }) => deskCommand({ config, args, name: values.name, role: values.role, as: values.as, t, lng }),
};

/** The operators' commands: the installation, not the call (never offered in a chat). */
const OPERATOR_COMMANDS: { name: string; help: string; run: CliHandler }[] = [
  {
    name: 'migrate', help: 'cli:help.migrate',
    async run({ config, t }) {
      const store = await openStore(config.databaseUrl);
      await store.close();
      process.stdout.write(t('cli:migrate.done') + '\n');
      return 0;
    },
  },
  { name: 'backup', help: 'cli:help.backup', run: ({ config, args, t }) => backupCommand({ config, file: args[0], t }) },
  { name: 'copy-to', help: 'cli:help.copyTo', run: ({ config, args, t }) => copyToCommand({ config, url: args[0], t }) },
  // Platform set-ups load their SDK only when asked for.
  {
    name: 'telegram:setup', help: 'cli:help.telegramSetup',
    async run({ i18n, lng, call }) {
      const { telegramSetup } = await import('../../adapters/telegram/setup.js');
      const { readTelegramConfig } = await import('../../adapters/telegram/config.js');
      const lines = await telegramSetup({ config: readTelegramConfig(), i18n, lng, target: call.words.target });
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    },
  },
  {
    name: 'messenger:setup', help: 'cli:help.messengerSetup',
    async run({ i18n, lng }) {
      const { messengerSetup } = await import('../../adapters/messenger/setup.js');
      const { readMessengerConfig } = await import('../../adapters/messenger/config.js');
      const lines = await messengerSetup({ config: readMessengerConfig(), i18n, lng });
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    },
  },
  {
    name: 'whatsapp:setup', help: 'cli:help.whatsappSetup',
    async run({ i18n, lng }) {
      const { whatsappSetup } = await import('../../adapters/whatsapp/setup.js');
      const { readWhatsAppConfig } = await import('../../adapters/whatsapp/config.js');
      const lines = await whatsappSetup({ config: readWhatsAppConfig(), businessAccountId: process.env.WHATSAPP_BUSINESS_ACCOUNT_ID, i18n, lng });
      process.stdout.write(lines.join('\n') + '\n');
      return 0;
    },
  },
];

/** The handler of `name`, organiser's or operator's; undefined for an unknown command. */
export function cliCommand(name: string): CliHandler | undefined {
  const organiser = commandsOn('cli').find((c) => c.name === name);
  return organiser ? ORGANISER_HANDLERS[organiser.name] : OPERATOR_COMMANDS.find((c) => c.name === name)?.run;
}

/** `--help`: the introduction, every command's lines (organisers' then operators'), the options. */
export function cliHelp(t: TFunction): string {
  const lines = [...commandsOn('cli').map((c) => t(c.texts.help)), ...OPERATOR_COMMANDS.map((c) => t(c.help))];
  return [t('cli:help.intro'), ...lines].join('\n') + '\n\n' + t('cli:help.outro');
}
