/**
 * Reads and checks the call definition at start. Every problem names the file, the field and what
 * is wrong, and the bot does not start with a broken call.
 */
import { readFileSync } from 'node:fs';
import type { i18n as I18n } from 'i18next';
import { validateCallDefinition, type CallDefinition, type FieldProblem } from '../domain/call-definition.js';
import { LOCALES } from '../domain/records.js';
import { AppError } from '../core/errors.js';
import { projectPath } from './paths.js';

export const DEFAULT_CALL_FILE = projectPath('config', 'calls', 'icssi-2019.json');

export function callProblemsMessage(file: string, problems: FieldProblem[]): string {
  return `The call definition ${file} has ${problems.length} problem(s):\n` + problems.map((p) => `  - ${p.field}: ${p.problem}`).join('\n');
}

/** Texts every call needs in every language, under its textsNamespace. */
function textKeys(call: CallDefinition): string[] {
  return ['title', 'timezoneName', 'about.intro', 'about.event', 'about.meeting', 'about.takePart',
    ...call.topics.flatMap((t) => [`topics.${t}.short`, `topics.${t}.question`])];
}

export function loadCallDefinition(file: string, i18n: I18n): CallDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : `it is not valid JSON (${(err as Error).message})`;
    throw new AppError('CALL_DEFINITION_INVALID', `Cannot read the call definition ${file}: ${why}`);
  }
  const result = validateCallDefinition(raw);
  if (!result.ok) throw new AppError('CALL_DEFINITION_INVALID', callProblemsMessage(file, result.problems));
  const call = result.call;
  const problems: FieldProblem[] = [];
  for (const lng of LOCALES) {
    for (const key of textKeys(call)) {
      if (!i18n.exists(`${call.textsNamespace}:${key}`, { lng, fallbackLng: false } as never)) {
        problems.push({ field: 'textsNamespace', problem: `locales/${lng}/${call.textsNamespace}.json has no text for "${key}"` });
      }
    }
  }
  if (problems.length > 0) throw new AppError('CALL_DEFINITION_INVALID', callProblemsMessage(file, problems));
  return call;
}
