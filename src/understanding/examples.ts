/**
 * The examples the question classifier learns from, one file per language:
 * locales/<lng>/understanding.txt. A line `[kind]` starts a kind (one of the nine FAQ questions,
 * or `none` for sentences that belong in a contribution and must not be answered); every other
 * non-empty line that does not start with `#` is one example. Plain text, not JSON, so the
 * translators' files (locales/<lng>/*.json) stay texts the bot says, and an example is one line
 * anyone can add.
 *
 * Read from the project's folder (found by walking up to package.json, so the sources and the
 * compiled build find the same files) once, when the first message needs them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAQ_TOPICS, type FaqTopic } from '../domain/faq.js';
import { LOCALES, type Locale } from '../domain/records.js';

export type ExampleLabel = FaqTopic | 'none';
export const EXAMPLE_LABELS: readonly ExampleLabel[] = [...FAQ_TOPICS, 'none'];

export type Examples = Map<ExampleLabel, string[]>;

export function parseExamples(text: string, source = 'examples'): Examples {
  const out: Examples = new Map();
  let current: ExampleLabel | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[([a-z]+)\]$/.exec(line);
    if (header) {
      if (!(EXAMPLE_LABELS as readonly string[]).includes(header[1]!)) throw new Error(`${source}:${i + 1}: unknown kind [${header[1]}]`);
      current = header[1] as ExampleLabel;
      return;
    }
    if (!current) throw new Error(`${source}:${i + 1}: an example before any [kind]`);
    out.set(current, [...(out.get(current) ?? []), line]);
  });
  return out;
}

function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('No package.json above src/understanding: cannot find locales/');
    dir = parent;
  }
  return dir;
}

export function examplesFile(lng: Locale): string {
  return path.join(projectRoot(), 'locales', lng, 'understanding.txt');
}

/** The examples of every language, by language. */
export function readExamples(): Record<Locale, Examples> {
  return Object.fromEntries(LOCALES.map((l) => [l, parseExamples(fs.readFileSync(examplesFile(l), 'utf8'), `locales/${l}/understanding.txt`)])) as Record<Locale, Examples>;
}
