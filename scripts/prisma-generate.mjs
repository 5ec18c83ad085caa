// Generates the two Prisma clients (generated/prisma-sqlite and generated/prisma-postgresql).
// Run by `npm install`/`npm ci` (postinstall) and `npm run db:generate`; generated/ is git-ignored.
//
// The Prisma CLI is a development dependency: `npm run build` compiles the generated clients into
// dist/generated/, and that compiled copy is what runs. A production install (`npm ci --omit=dev`)
// has no CLI and needs no generated/: this script then says so and does nothing.
//
// Why PRISMA_SCHEMA_ENGINE_BINARY=/bin/false: Prisma 7's CLI downloads its native schema engine
// before most commands, which fails without internet. `generate` never runs that engine, so
// pointing the variable at a harmless binary lets it work offline. We set it only for this child
// process and only when the user has not set it, so a machine with internet (or its own engine)
// runs the stock CLI unchanged. On Windows there is no /bin/false; the stock CLI is used as is.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve('prisma/build/index.js');
} catch {
  console.log('prisma generate skipped: the Prisma CLI is not installed (a production install runs the client compiled into dist/)');
  process.exit(0);
}

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && process.platform !== 'win32') {
  env.PRISMA_SCHEMA_ENGINE_BINARY = '/bin/false';
}
// The CLI would otherwise print an update notice that needs the network.
env.PRISMA_HIDE_UPDATE_MESSAGE ??= '1';

for (const provider of ['sqlite', 'postgresql']) {
  const schema = path.join('prisma', provider, 'schema.prisma');
  const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`prisma generate failed for ${schema} (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}
