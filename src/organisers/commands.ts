/**
 * The organisers' commands, once: each entry names a command, its arguments, the organiser
 * operations it runs over, the surfaces that offer it and its texts. The CLI (src/cli/main.ts),
 * Slack (`/icssi <name>`) and Telegram (`/<name>` from TELEGRAM_ADMIN_IDS) dispatch from this
 * table and the CLI's help is generated from it; each surface keeps one handler per command it
 * offers, in a map typed by `CommandsOn<surface>` so an entry without its handler does not compile.
 *
 * A new organiser command: one entry here, its texts in locales/<lng>/, and one handler per
 * surface listed (the operation itself in src/organisers/ when it is new).
 *
 * Not here: the operators' commands (migrate, backup, copy-to, the platform set-ups;
 * src/cli/operator-commands.ts). They act on the installation — the database file, a platform's
 * webhook — not on the call's contributions, run over no organiser operation, and must never be
 * reachable from a chat.
 */

/** Where an organiser command can be given. */
export type CommandSurface = 'cli' | 'slack' | 'telegram';

/**
 * The operations behind the commands (what the surfaces call): the reports
 * (src/organisers/reports.ts), decisions (src/organisers/decisions.ts), announcements
 * (src/announcements/), the desk's invitations (src/desk/invites.ts) and the purge.
 */
export type OrganiserOperation =
  | 'reports.stats'
  | 'reports.figures'
  | 'reports.exportContributions'
  | 'decide'
  | 'announcements.send'
  | 'announcements.list'
  | 'desk.invite'
  | 'desk.revoke'
  | 'purge';

export interface OrganiserCommand {
  /** What is typed: `npm run icssi -- <name>`, `/icssi <name>`, `/<name>`. */
  readonly name: string;
  /** Its arguments as the CLI takes them ('' for none); chat surfaces take fewer (see `chatArgs`). */
  readonly args: string;
  /** Arguments on Slack and Telegram, when they differ from the CLI's. */
  readonly chatArgs?: string;
  readonly runs: readonly OrganiserOperation[];
  readonly surfaces: readonly CommandSurface[];
  /** Locale keys: its lines in the CLI's help, and its usage line when arguments are wrong. */
  readonly texts: { readonly help: string; readonly usage?: string };
}

export const ORGANISER_COMMANDS = [
  {
    name: 'stats', args: '[--json]', chatArgs: '',
    runs: ['reports.stats', 'reports.figures'], surfaces: ['cli', 'slack', 'telegram'],
    texts: { help: 'cli:help.stats' },
  },
  {
    name: 'export', args: '[--format csv|json] [--output FILE]', chatArgs: 'csv',
    runs: ['reports.exportContributions'], surfaces: ['cli', 'slack'],
    texts: { help: 'cli:help.export', usage: 'slack:export.usage' },
  },
  {
    // On Slack a decision is a button on the admin channel's post (adapters/slack/admin.ts), not a command.
    name: 'review', args: 'CODE accept|decline|revise [--note TEXT] [--as NAME]',
    runs: ['decide'], surfaces: ['cli'],
    texts: { help: 'cli:help.review', usage: 'cli:review.usage' },
  },
  {
    // On Slack the command opens the announcement modal (adapters/slack/announce-modal.ts).
    name: 'announce', args: '--text-en TEXT [--text-ar TEXT] [--text-ckb TEXT] [--to …] [--topic …] [--platform …] [--language …] [--expires ISO] [--dry-run] [--yes] | --resume ID', chatArgs: '',
    runs: ['announcements.send'], surfaces: ['cli', 'slack'],
    texts: { help: 'cli:help.announce' },
  },
  {
    name: 'announcements', args: '',
    runs: ['announcements.list'], surfaces: ['cli'],
    texts: { help: 'cli:help.announcements' },
  },
  {
    // Erases people: a deliberate act at a terminal, with --dry-run first, never a chat line.
    name: 'purge', args: '[--dry-run] [--force]',
    runs: ['purge'], surfaces: ['cli'],
    texts: { help: 'cli:purge.help' },
  },
  {
    // In a chat, a sign-in link for the organiser who asks, sent to their private chat only.
    name: 'desk', args: 'invite --name NAME [--role organiser|reader] | revoke NAME', chatArgs: '',
    runs: ['desk.invite', 'desk.revoke'], surfaces: ['cli', 'slack', 'telegram'],
    texts: { help: 'desk:cli.help', usage: 'desk:cli.usage' },
  },
] as const satisfies readonly OrganiserCommand[];

type Entry = (typeof ORGANISER_COMMANDS)[number];
export type OrganiserCommandName = Entry['name'];

/** The names of the commands a surface offers (a handler map's keys). */
export type CommandsOn<S extends CommandSurface> = Entry extends infer E
  ? E extends { name: infer N; surfaces: readonly (infer X)[] } ? (S extends X ? N : never) : never
  : never;

/** The commands `surface` offers, in the table's order (the CLI's help order). */
export function commandsOn<S extends CommandSurface>(surface: S): (OrganiserCommand & { name: CommandsOn<S> })[] {
  return (ORGANISER_COMMANDS as readonly OrganiserCommand[]).filter((c) => c.surfaces.includes(surface)) as (OrganiserCommand & { name: CommandsOn<S> })[];
}

/** The entry `name` names on `surface`, or undefined (then the surface treats it as it did any unknown word). */
export function organiserCommand<S extends CommandSurface>(surface: S, name: string): (OrganiserCommand & { name: CommandsOn<S> }) | undefined {
  return commandsOn(surface).find((c) => c.name === name);
}
