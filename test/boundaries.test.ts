/**
 * The house rules on imports:
 * - core, flow and domain import no platform SDK, no Prisma and no HTTP module, so the
 *   conversation can be tested and reused without any of them;
 * - imports point one way between layers: domain ← understanding ← flow ← core ← the parts around the core
 *   (config, storage, server, organisers, announcements) ← the composition (app.ts) ← adapters
 *   and the CLI ← the entry points. Nothing imports a layer above its own, layers do not import
 *   each other in a circle, and no module imports itself back through others;
 * - adapters and the organisers' code talk to the core through its named operations
 *   (src/core/bot-core.ts), never through the dispatcher's parts (its deps: store, call, i18n; its
 *   renderer), and the CLI's commands are given the configured platforms by src/cli/main.ts
 *   instead of importing the adapter registry;
 * - adapters do not import the Dispatcher at all (but where composition needs it, listed with the
 *   reason), and never compare the flow's translation keys: what a reply is for comes as data
 *   (OutboundMessage.role, HandleResult.stale), so the flow may rename its keys freely;
 * - adapters import from src/ only its entry point for them, src/core/index.ts (besides their own
 *   folder and adapters/shared); the registry and the connection also build the host from the
 *   App (src/adapter-host.ts), so no adapter is given the App.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { DataEffect as CoreDataEffect } from '../src/core/ports.js';
import type { DataEffect } from '../src/domain/effects.js';
import { cycles, importGraph, layerGraph, sources, specifiersOf, unplaced, upwardImports, type Graph, type Layer } from './helpers/import-graph.js';

const FORBIDDEN = [/^grammy/, /^@grammyjs\//, /^@slack\//, /^facebook-nodejs-business-sdk/, /^@prisma\//, /^prisma/, /generated\/prisma/,
  /^pg$/, /^better-sqlite3/, /^node:http/, /^node:https/, /^http$/, /^https$/, /^undici/, /^node-fetch/, /^axios/, /\/storage\//, /\/adapters\//, /\/server\//];

const LAYERS: Layer[] = [
  { name: 'domain', rank: 0, prefixes: ['src/domain'] },
  // Reading typed messages (src/understanding): below the flow, which asks it, above the domain.
  { name: 'understanding', rank: 0.5, prefixes: ['src/understanding'] },
  { name: 'flow', rank: 1, prefixes: ['src/flow'] },
  { name: 'core', rank: 2, prefixes: ['src/core'] },
  { name: 'config', rank: 3, prefixes: ['src/config'] },
  { name: 'storage', rank: 3, prefixes: ['src/storage'] },
  { name: 'server', rank: 3, prefixes: ['src/server'] },
  { name: 'organisers', rank: 3, prefixes: ['src/organisers'] },
  { name: 'announcements', rank: 3, prefixes: ['src/announcements'] },
  // Building the announcements service from an App (a store, the senders) is composition.
  // The organisers' desk: over the core's organiser operations, the reports and its own store
  // port; never storage (its store is given by src/app-desk.ts).
  { name: 'desk', rank: 4, prefixes: ['src/desk'] },
  { name: 'composition', rank: 4, prefixes: ['src/app.ts', 'src/app-announcements.ts', 'src/app-desk.ts', 'src/adapter-host.ts'] },
  // The adapters' one entry point: it gathers what they may use from every layer below them (the
  // core's types and helpers, the domain's and flow's few values, the host's and services' types).
  { name: 'adapter API', rank: 4.5, prefixes: ['src/core/index.ts'] },
  { name: 'adapters', rank: 5, prefixes: ['adapters'] },
  { name: 'cli', rank: 5, prefixes: ['src/cli'] },
  // The composition root (src/runtime*.ts): the app with its platforms, announcements and desk;
  // the one place that asks the adapter registry which platforms are configured.
  { name: 'root', rank: 5, prefixes: ['src/runtime.ts', 'src/runtime-server.ts', 'src/runtime-console.ts'] },
  { name: 'entry', rank: 6, prefixes: ['src/main.ts', 'src/cli/main.ts'] },
];

const graph = importGraph(['src', 'adapters']);

/** Packages a production install leaves out (`npm ci --omit=dev`): what the bot runs must not load them. */
const DEV_ONLY = Object.keys((JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);

/** The specifiers a file loads at run time: type-only imports and exports are erased by the build. */
function loadedSpecifiers(text: string): string[] {
  return specifiersOf(text.replace(/(?:import|export)\s+type\s[^'"]*?from\s+['"][^'"]+['"]/g, ''));
}

/** A reach into the dispatcher's parts: `dispatcher.deps…`, `dispatcher.renderer`, or either destructured from it. */
const REACH_THROUGH = [/\bdispatcher\s*\??\.\s*(?:deps|renderer)\b/, /\{[^}]*\b(?:deps|renderer)\b[^}]*\}\s*=\s*[\w.]*\bdispatcher\b/];

function reachThroughs(files: string[]): string[] {
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (REACH_THROUGH.some((r) => r.test(line)) ? [`${f}:${i + 1}: ${line.trim()}`] : [])));
}

const REGISTRY = 'adapters/registry.ts';

/** The adapters' entry point into src/ (src/core/index.ts). */
const ADAPTER_API = 'src/core/index.ts';

/**
 * Adapter modules that may import more of src/ than the entry point, each with what and why: the
 * two that build the host from the App (src/adapter-host.ts) for the composition. The test fails
 * when a listed one no longer needs it, so the list only shrinks.
 */
const SRC_IMPORT_ALLOWED: Record<string, string[]> = {
  'adapters/registry.ts': ['src/adapter-host.ts'], // adapterHost(app): the one host every configured platform is given
  'adapters/connect.ts': ['src/adapter-host.ts'], // the App type: registers the senders with its dispatcher
};

/** Each adapter module's imports from src/ other than the entry point (the graph leaves test files out). */
function adapterSrcImports(g: Graph): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [from, tos] of g) {
    if (!from.startsWith('adapters/')) continue;
    const other = tos.filter((t) => t.startsWith('src/') && t !== ADAPTER_API);
    if (other.length > 0) out[from] = other.sort();
  }
  return out;
}

const DISPATCHER = 'src/core/dispatcher.ts';

/**
 * Adapter modules that may import src/core/dispatcher.ts, each with the reason. None today: every
 * platform's entry (adapters/<platform>/index.ts) is given the host (src/adapter-host.ts), and the
 * types an adapter needs (ParticipantView, FormSubmission) are the core's (src/core/bot-core.ts).
 * The test fails when a listed one no longer imports it, so the list only shrinks.
 */
const DISPATCHER_IMPORT_ALLOWED: Record<string, string> = {};

/** Adapter modules importing the Dispatcher's module. */
function adapterDispatcherImports(g: Graph): string[] {
  return [...g].filter(([from, to]) => from.startsWith('adapters/') && to.includes(DISPATCHER)).map(([from]) => from).sort();
}

/** The flow's translation keys: the sections of its namespace (bot), written with or without `bot:`. */
const FLOW_SECTIONS = Object.keys(JSON.parse(readFileSync(fileURLToPath(new URL('../locales/en/bot.json', import.meta.url)), 'utf8')) as Record<string, unknown>);
const FLOW_KEY = `['"\`](?:bot:)?(?:${FLOW_SECTIONS.join('|')})\\.[^'"\`]*['"\`]`;

/**
 * A comparison of a translation key: a reply's `.key` compared (===, !==, startsWith…), or a
 * literal of the flow's keys compared or switched on. Reading a key's text (t('bot:menu.submit'))
 * is fine; deciding what to do by a key is the coupling this forbids.
 */
const KEY_COMPARISON = [
  /\.key\s*[!=]==|[!=]==\s*[\w.?]*\.key\b|\.key\??\.(?:startsWith|endsWith|includes)\(/,
  new RegExp(`(?:[!=]==|\\b(?:startsWith|endsWith|includes)\\(|\\bcase)\\s*${FLOW_KEY}`),
  new RegExp(`${FLOW_KEY}\\s*[!=]==`),
];

function keyComparisons(files: string[]): string[] {
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (KEY_COMPARISON.some((r) => r.test(line)) ? [`${f}:${i + 1}: ${line.trim()}`] : [])));
}

const CONNECT = 'adapters/connect.ts';
const ROOT = 'src/runtime.ts';

/** Modules outside adapters/, but the composition root, that import the adapter registry or its connection. */
function cliRegistryImports(g: Graph): string[] {
  return [...g].filter(([from, to]) => !from.startsWith('adapters/') && from !== ROOT && (to.includes(REGISTRY) || to.includes(CONNECT))).map(([from]) => from).sort();
}

describe('layer boundaries', () => {
  for (const layer of ['src/core', 'src/flow', 'src/understanding', 'src/domain']) {
    it(`${layer} imports no platform SDK, Prisma or HTTP module`, () => {
      const offenders = sources(layer).flatMap((f) => specifiersOf(readFileSync(f, 'utf8')).filter((i) => FORBIDDEN.some((r) => r.test(i))).map((i) => `${f} → ${i}`));
      expect(offenders).toEqual([]);
    });
  }

  it('the desk reads and writes through its ports only: no storage, Prisma, adapter or dispatcher', () => {
    const banned = [/\/storage\//, /^@prisma\//, /^prisma/, /generated\/prisma/, /\/adapters\//, /core\/dispatcher/, /^better-sqlite3/, /^pg$/];
    const offenders = sources('src/desk').flatMap((f) => specifiersOf(readFileSync(f, 'utf8')).filter((i) => banned.some((r) => r.test(i))).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('every module has a layer', () => {
    expect(unplaced(graph, LAYERS)).toEqual([]);
  });

  it('nothing imports a layer above its own', () => {
    expect(upwardImports(graph, LAYERS)).toEqual([]);
  });

  it('layers do not import each other in a circle', () => {
    expect(cycles(layerGraph(graph, LAYERS))).toEqual([]);
  });

  it('no module imports itself back through others', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('what the bot runs loads no development tool: nothing from scripts/ and no devDependency', () => {
    // Creating migrations (scripts/migrations/, the WebAssembly schema engine) is development only.
    expect(DEV_ONLY).toEqual(expect.arrayContaining(['@prisma/schema-engine-wasm', '@prisma/driver-adapter-utils']));
    const offenders = [...graph.keys()].flatMap((f) =>
      loadedSpecifiers(readFileSync(f, 'utf8'))
        .filter((s) => s.includes('scripts/') || DEV_ONLY.some((d) => s === d || s.startsWith(`${d}/`)))
        .map((s) => `${f} → ${s}`),
    );
    expect(offenders).toEqual([]);
    expect(loadedSpecifiers(`import type { A } from '@prisma/driver-adapter-utils';\nimport { b } from '@prisma/schema-engine-wasm';`)).toEqual(['@prisma/schema-engine-wasm']);
  });

  it('the graph sees the imports (it cannot pass on nothing)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/core/dispatcher.ts')).toContain('src/flow/engine.ts');
    expect(graph.get('adapters/registry.ts')).toEqual(expect.arrayContaining([ADAPTER_API, 'src/adapter-host.ts']));
    expect(graph.get(ADAPTER_API)).toEqual(expect.arrayContaining(['src/core/types.ts', 'src/flow/submit.ts', 'src/adapter-host.ts']));
  });

  it("the flow's data effects (src/domain) and the store port's are one type", () => {
    // Checked by tsc (npm run typecheck) until src/core/ports.ts re-exports the domain's union.
    expectTypeOf<DataEffect>().toEqualTypeOf<CoreDataEffect>();
  });
});

describe('the seams between the core and its callers', () => {
  it("adapters and the organisers' code use the core's operations, not the dispatcher's deps or renderer", () => {
    expect(reachThroughs([...sources('adapters'), ...sources('src/organisers')])).toEqual([]);
  });

  it('adapters import from src/ only its entry point, src/core/index.ts (but the listed ones, for the host)', () => {
    expect(adapterSrcImports(graph)).toEqual(SRC_IMPORT_ALLOWED);
  });

  it('adapters do not import the Dispatcher (but the listed ones, where composition needs it)', () => {
    expect(adapterDispatcherImports(graph)).toEqual(Object.keys(DISPATCHER_IMPORT_ALLOWED).sort());
  });

  it("adapters never compare a translation key (the flow's or a reply's)", () => {
    expect(FLOW_SECTIONS).toEqual(expect.arrayContaining(['start', 'errors', 'language']));
    expect(keyComparisons(sources('adapters'))).toEqual([]);
  });

  it('the platforms are configured and connected in one place: only the composition root imports the adapter registry', () => {
    expect(cliRegistryImports(graph)).toEqual([]);
    expect(graph.get(ROOT)).toEqual(expect.arrayContaining([REGISTRY, CONNECT]));
  });
});

describe('the import checks themselves', () => {
  const tiny = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges));

  it('report an upward import and leave downward ones alone', () => {
    const g = tiny({ 'src/domain/a.ts': ['src/core/b.ts'], 'src/core/b.ts': ['src/domain/c.ts'], 'src/domain/c.ts': [] });
    expect(upwardImports(g, LAYERS)).toEqual(['src/domain/a.ts (domain) → src/core/b.ts (core)']);
  });

  it('place a file by its longest prefix', () => {
    const g = tiny({ 'src/cli/main.ts': ['adapters/registry.ts'], 'src/cli/review.ts': ['src/cli/main.ts'], 'adapters/registry.ts': [] });
    expect(upwardImports(g, LAYERS)).toEqual(['src/cli/review.ts (cli) → src/cli/main.ts (entry)']);
  });

  it('find cycles of files and of layers', () => {
    const g = tiny({ 'src/cli/x.ts': ['adapters/y.ts'], 'adapters/y.ts': ['adapters/z.ts'], 'adapters/z.ts': ['src/cli/x.ts'], 'src/core/k.ts': [] });
    expect(cycles(g)).toEqual([['adapters/y.ts', 'adapters/z.ts', 'src/cli/x.ts']]);
    expect(cycles(layerGraph(g, LAYERS))).toEqual([['adapters', 'cli']]);
  });

  it("see a reach into the dispatcher's parts, and not an adapter's own deps", () => {
    const reaches = (line: string) => REACH_THROUGH.some((r) => r.test(line));
    expect(['const { store, call } = dispatcher.deps;', 'await this.deps.dispatcher.deps.store.getContribution(c);', 'cx.dispatcher.renderer.formatTime(t, l)',
      'const { renderer } = this.deps.dispatcher;', 'dispatcher?.deps.i18n'].filter((l) => !reaches(l))).toEqual([]);
    expect(['this.deps.i18n.getFixedT(l)', 'core.texts.text(k, l)', 'dispatcher: this.deps.dispatcher, i18n: this.deps.i18n', 'dispatcher.handle(e)'].filter(reaches)).toEqual([]);
  });

  it('find an adapter importing the Dispatcher, type-only too, and leave the core and the CLI alone', () => {
    const g = tiny({
      'adapters/telegram/adapter.ts': [DISPATCHER], 'adapters/slack/listeners.ts': ['src/core/bot-core.ts', DISPATCHER],
      'adapters/messenger/adapter.ts': ['src/core/bot-core.ts'], 'src/core/bot-core.ts': [DISPATCHER], 'src/cli/review.ts': [DISPATCHER],
    });
    expect(adapterDispatcherImports(g)).toEqual(['adapters/slack/listeners.ts', 'adapters/telegram/adapter.ts']);
    expect(specifiersOf(`import type { Dispatcher } from '../../src/core/dispatcher.js';`)).toEqual(['../../src/core/dispatcher.js']);
  });

  it('see a translation key compared, and not one read or an event type compared', () => {
    const compares = (line: string) => KEY_COMPARISON.some((r) => r.test(line));
    expect([
      'const i = replies.findIndex((r) => r.key === GREETING_KEY && !(r.choices?.length));', "if (m.key?.startsWith('errors.')) notice();",
      "if (reply.key !== 'errors.oldButton') return;", "case 'start.greeting':", "'bot:errors.oldButton' === m.key", "if (OLD_BUTTON_KEY === sent.key) n++;",
      "if (text.startsWith('bot:start.')) return;",
    ].filter((l) => !compares(l))).toEqual([]);
    expect([
      "renderer.text('bot:review.none', lng)", 'cx.core.texts.text(`bot:language.names.${lng}`, lng)', "effect.type === 'contribution.create'",
      "r.role === 'greeting'", "errors[FIELD[p.key] ?? 'text_en'] ??= t(locale)(k)", "choice.id === 'slack:form'", "t('telegram:oldButton', lng)",
    ].filter(compares)).toEqual([]);
  });

  it("find an adapter importing src/ past the entry point, and leave the entry point, shared and the CLI alone", () => {
    const g = tiny({
      'adapters/slack/views.ts': [ADAPTER_API, 'src/flow/submit.ts', 'adapters/shared/shape.ts'], 'adapters/telegram/parse.ts': [ADAPTER_API],
      'adapters/shared/read-document.ts': ['src/core/types.ts'], 'src/cli/review.ts': ['src/app.ts'],
    });
    expect(adapterSrcImports(g)).toEqual({ 'adapters/slack/views.ts': ['src/flow/submit.ts'], 'adapters/shared/read-document.ts': ['src/core/types.ts'] });
  });

  it('find a module importing the registry or the connection, and let the composition root', () => {
    const g = tiny({ [ROOT]: [REGISTRY, CONNECT], 'src/cli/main.ts': [CONNECT], 'src/cli/purge.ts': ['src/app.ts', REGISTRY], 'src/cli/review.ts': [ROOT], [CONNECT]: [REGISTRY] });
    expect(cliRegistryImports(g)).toEqual(['src/cli/main.ts', 'src/cli/purge.ts']);
  });

  it('read import and export forms, type-only and dynamic ones too', () => {
    const text = `import type { A } from './a.js';\nexport { B } from "../b.js";\nimport './c.js';\nconst d = await import('./d.js');`;
    expect(specifiersOf(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js']);
  });
});
