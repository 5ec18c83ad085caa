/**
 * `npm start`: with no platform configured (or with --console, `npm run chat`) a chat with the bot
 * in this terminal; otherwise the HTTP server with every configured platform's webhook. Only the
 * arguments and the environment are read here: the bot is assembled by the composition root
 * (src/runtime.ts), served by src/runtime-server.ts or src/runtime-console.ts.
 */
import { buildRuntime } from './runtime.js';
import { runServer } from './runtime-server.js';
import { runConsole } from './runtime-console.js';
import { loadDotEnv, readConfig } from './config/env.js';
import { isAppError } from './core/errors.js';
import { createLogger } from './core/log.js';
import { installProcessGuards } from './server/process-guards.js';
import { Shutdown } from './server/shutdown.js';

/**
 * Why the bot could not start, for the operator. Configuration and call-definition problems: the
 * message says what to fix, without a stack trace; a database that cannot be opened keeps the
 * database's own reason (a missing database, a refused connection, a wrong password). Anything
 * else is a bug or an outage: one JSON line with the stack and cause.
 */
function startFailed(err: unknown): never {
  if (isAppError(err)) process.stderr.write(`${err.message}${isAppError(err, 'STORAGE_UNAVAILABLE') ? causeOf(err) : ''}\n`);
  else createLogger('error').error('failed to start', { err });
  process.exit(1);
}

/** ": <the cause's message>", e.g. `database "icssi" does not exist` or `connect ECONNREFUSED …`. */
function causeOf(err: Error): string {
  const cause = err.cause;
  if (!(cause instanceof Error)) return '';
  // A refused connection to a name with two addresses is an AggregateError without a message.
  const parts: Error[] = cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors : [cause];
  const texts = [...new Set(parts.map((e) => e.message || String((e as { code?: unknown }).code ?? '')).filter(Boolean))];
  return texts.length > 0 ? `: ${texts.join('; ')}` : '';
}

async function main(): Promise<void> {
  // First thing: a SIGTERM during start-up ends the process at once, with code 0.
  const shutdown = new Shutdown().install();
  loadDotEnv();
  const config = readConfig();
  const runtime = await buildRuntime(config);
  installProcessGuards(runtime.app.logger);
  shutdown.setStop(() => runtime.close(), { logger: runtime.app.logger, graceSeconds: config.shutdownGraceSeconds });
  const wantConsole = process.argv.includes('--console') || runtime.platformNames().length === 0;
  if (wantConsole) await runConsole(runtime, shutdown);
  else await runServer(runtime, shutdown, startFailed);
}

main().catch(startFailed);
