/**
 * The project's root folder and the assets under it (locales, call definitions, migrations).
 *
 * Paths are built with fileURLToPath, never `new URL(…).pathname`: the latter keeps `%20` and
 * percent-encoded letters, so a checkout in `/srv/my bot/` or a folder with an Arabic name failed
 * with ENOENT. The root is found by walking up to package.json, so the same code works from the
 * sources (src/config/) and from the compiled build (dist/src/config/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}: cannot find the project's folder`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `projectPath('locales', 'en')`. */
export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}
