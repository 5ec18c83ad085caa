/**
 * Last resort for a bug nobody caught: one JSON log line with the stack and cause, then exit
 * non-zero so a supervisor (systemd, Docker, Kubernetes) restarts a process in a known state.
 */
import type { Logger } from '../core/log.js';

export function installProcessGuards(logger: Logger, exit: (code: number) => void = (c) => process.exit(c)): void {
  process.on('unhandledRejection', (reason: unknown) => {
    logger.error('unhandled promise rejection; exiting', { err: reason instanceof Error ? reason : new Error(String(reason)) });
    exit(1);
  });
  process.on('uncaughtException', (err: Error) => {
    logger.error('uncaught exception; exiting', { err });
    exit(1);
  });
}
