/**
 * The organisers' command line: npm run icssi -- <command> [options]
 */
import { loadDotEnv, readConfig } from '../config/env.js';
import { createI18n } from '../config/i18n.js';
import { loadCallDefinition } from '../config/load-call.js';
import { isAppError } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { installProcessGuards } from '../server/process-guards.js';
import { localeFromHint } from '../core/locale-hint.js';
import { cliCommand, cliHelp, parseCliArgs } from './commands.js';

async function main(argv: string[]): Promise<number> {
  // A bug nobody caught: one JSON line with the stack, exit code 1 (as the bot does).
  installProcessGuards(createLogger('error'));
  loadDotEnv();
  const { values, positionals } = parseCliArgs(argv);
  const i18n = await createI18n();
  const lng = localeFromHint(values.lang ?? process.env.LC_ALL ?? process.env.LANG) ?? 'en';
  const t = i18n.getFixedT(lng);
  const command = positionals[0];
  if (values.help || !command || command === 'help') {
    process.stdout.write(cliHelp(t) + '\n');
    return command || values.help ? 0 : 1;
  }
  // The organisers' commands come from their table (src/organisers/commands.ts), the operators' from src/cli/commands.ts.
  const run = cliCommand(command);
  if (!run) {
    process.stderr.write(t('cli:unknown', { command }) + '\n');
    return 2;
  }
  const config = readConfig();
  const call = loadCallDefinition(config.callFile, i18n);
  return run({ config, i18n, call, t, lng, values, args: positionals.slice(1) });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write((isAppError(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)) + '\n');
    process.exit(1);
  },
);
