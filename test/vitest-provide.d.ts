// Values test/global-setup.ts provides to the tests (vitest's provide/inject).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of this run's PostgreSQL database; empty when the server was not usable. */
    pgUrl: string;
    /** Why PostgreSQL was not usable; empty when it was. */
    pgError: string;
  }
}
