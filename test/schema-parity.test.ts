/**
 * The SQLite and PostgreSQL schemas must describe the same models: the store is written against
 * one generated client and uses the other as if it were the same (src/storage/prisma-client.ts).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaPath } from '../src/storage/migrate.js';

interface Field {
  name: string;
  /** Type with its modifiers, e.g. `String?`, `Contribution[]`. */
  type: string;
  /** Field attributes, provider-specific native types (`@db.*`) left out. */
  attributes: string[];
}

interface Model {
  fields: Field[];
  /** Block attributes: @@id, @@unique, @@index, @@map. */
  blockAttributes: string[];
}

/** A small parser of `model X { … }` blocks; enough for this project's schemas. */
function parseModels(text: string): Map<string, Model> {
  const models = new Map<string, Model>();
  const source = text.replace(/\/\/.*$/gm, '');
  for (const match of source.matchAll(/^\s*model\s+(\w+)\s*\{([^}]*)\}/gm)) {
    const fields: Field[] = [];
    const blockAttributes: string[] = [];
    for (const raw of (match[2] ?? '').split('\n')) {
      const line = raw.trim().replace(/\s+/g, ' ');
      if (!line) continue;
      if (line.startsWith('@@')) {
        blockAttributes.push(line.replace(/\s/g, ''));
        continue;
      }
      const [name = '', type = '', ...rest] = line.split(' ');
      const attributes = (rest.join(' ').match(/@\w+(\.\w+)?(\([^)]*(\([^)]*\))?[^)]*\))?/g) ?? [])
        .filter((a) => !a.startsWith('@db.'))
        .map((a) => a.replace(/\s/g, ''));
      fields.push({ name, type, attributes });
    }
    models.set(match[1] ?? '', { fields, blockAttributes: blockAttributes.sort() });
  }
  return models;
}

const sqlite = fs.readFileSync(schemaPath('sqlite'), 'utf8');
const postgresql = fs.readFileSync(schemaPath('postgresql'), 'utf8');

describe('schema parity', () => {
  it('holds the same models, fields, types, attributes and constraints for both providers', () => {
    const a = parseModels(sqlite);
    const b = parseModels(postgresql);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, model] of a) expect({ name, ...b.get(name) }).toEqual({ name, ...model });
  });

  it('parses what the store relies on (so the comparison above compares something)', () => {
    const models = parseModels(sqlite);
    expect([...models.keys()].sort()).toEqual([
      'Announcement',
      'AnnouncementDelivery',
      'Contribution',
      'ContributionRevision',
      'ContributionStateChange',
      'Conversation',
      'DeadLetter',
      'DeskActivity',
      'DeskInvite',
      'DeskNote',
      'DeskSession',
      'LeaseHolder',
      'Notice',
      'Participant',
      'ParticipantAlias',
      'PlatformPost',
      'ProcessedEvent',
      'SendReceipt',
    ]);
    const participant = models.get('Participant');
    expect(participant?.blockAttributes).toContain('@@unique([platform,platformUserId])');
    expect(participant?.fields.find((f) => f.name === 'consentAt')?.type).toBe('DateTime?');
    expect(models.get('Contribution')?.fields.find((f) => f.name === 'code')?.attributes).toEqual(['@unique']);
    expect(models.get('ProcessedEvent')?.blockAttributes).toEqual(['@@id([platform,eventId])', '@@index([processedAt])']);
    expect(models.get('Notice')?.blockAttributes).toEqual(['@@index([participantId,status])', '@@index([status])']);
    // Pruned by age and erased by person: both read an index (src/storage/prisma-erasure.ts, prisma-effects.ts).
    expect(models.get('SendReceipt')?.blockAttributes).toEqual(['@@index([at])', '@@index([participantId])']);
  });

  it('notices a difference', () => {
    const changed = parseModels(postgresql.replace('topic         Int', 'topic         String'));
    expect(changed.get('Contribution')).not.toEqual(parseModels(sqlite).get('Contribution'));
  });

  it('generates both clients alike (module format, import extension), each into its own folder', () => {
    const generator = (s: string) => /generator client \{([^}]*)\}/.exec(s)?.[1]?.replace(/prisma-(sqlite|postgresql)"/, 'prisma-<db>"');
    expect(generator(sqlite)).toBeDefined();
    expect(generator(postgresql)).toBe(generator(sqlite));
    expect(sqlite).toMatch(/provider = "sqlite"/);
    expect(postgresql).toMatch(/provider = "postgresql"/);
  });
});
