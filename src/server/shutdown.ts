/**
 * SIGTERM and SIGINT, handled from the first moment of the process: installed before the
 * configuration is read or the database opened, so a stop that arrives while the bot is still
 * starting (a slow migration, a platform out of reach) ends it with code 0 at once. Node as PID 1
 * (a container) ignores SIGTERM unless a handler is installed, and without one a supervisor waits
 * for its SIGKILL. As start-up goes on, `setStop` replaces what a signal runs with the fuller stop
 * of the phase reached (close the store; later: drain the server, finish messages, close).
 */
import { createLogger, type Logger } from '../core/log.js';

type Exit = (code: number) => void;

export class Shutdown {
  private stop: (() => Promise<void>) | null = null;
  private logger: Logger | null = null;
  private graceSeconds = 10;
  private stopping = false;

  constructor(private readonly exit: Exit = (code) => process.exit(code)) {}

  /** Installs the handlers; call first thing. */
  install(): this {
    process.on('SIGTERM', () => this.handle('SIGTERM'));
    process.on('SIGINT', () => this.handle('SIGINT'));
    return this;
  }

  /** What a signal runs from now on, and the logger and grace period it uses. */
  setStop(stop: () => Promise<void>, opts: { logger: Logger; graceSeconds: number }): void {
    this.stop = stop;
    this.logger = opts.logger;
    this.graceSeconds = opts.graceSeconds;
  }

  private handle(signal: string): void {
    if (this.stopping) return;
    this.stopping = true;
    const logger = this.logger ?? createLogger('info');
    logger.info('shutting down', { signal });
    // Whatever hangs, the process ends a little after the grace period.
    setTimeout(() => this.exit(1), this.graceSeconds * 1000 + 2000).unref();
    const stop = this.stop;
    if (!stop) return this.exit(0);
    stop().then(
      () => this.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { err });
        this.exit(1);
      },
    );
  }
}
