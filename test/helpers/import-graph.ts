/**
 * A small import graph of the project's own modules, for test/boundaries.test.ts: which file
 * imports which (relative imports, static and dynamic, type-only included: a type points the
 * same way as a value), the layer each file belongs to, and the checks over them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export type Graph = Map<string, string[]>;

export function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier a file names: `import … from`, `export … from`, `import '…'`, `import('…')`. */
export function specifiersOf(text: string): string[] {
  const re = /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** The project's files under `roots` (tests left out) and the project files each one imports. */
export function importGraph(roots: string[]): Graph {
  const files = roots.flatMap((r) => sources(r)).filter((f) => !f.endsWith('.test.ts')).map((f) => normalize(f));
  const known = new Set(files);
  const graph: Graph = new Map();
  for (const file of files) {
    const targets = specifiersOf(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      // Sources import `./x.js`; the file on disk is x.ts.
      .map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts'))
      .filter((t) => known.has(t));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * A layer: folders or single files with a rank. A file belongs to the layer with the longest
 * prefix it matches (so one file can sit apart from its folder). A file may import its own rank
 * and the ranks below, never one above.
 */
export interface Layer {
  name: string;
  rank: number;
  prefixes: string[];
}

export function layerOf(file: string, layers: Layer[]): Layer | undefined {
  let best: { layer: Layer; length: number } | undefined;
  for (const layer of layers) {
    for (const p of layer.prefixes) {
      const hit = file === p || (!p.endsWith('.ts') && file.startsWith(p + '/'));
      if (hit && (!best || p.length > best.length)) best = { layer, length: p.length };
    }
  }
  return best?.layer;
}

/** Imports that point from a lower layer up to a higher one, as "from → to". */
export function upwardImports(graph: Graph, layers: Layer[]): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from, layers);
    for (const to of targets) {
      const b = layerOf(to, layers);
      if (!a || !b) continue;
      if (b.rank > a.rank) out.push(`${from} (${a.name}) → ${to} (${b.name})`);
    }
  }
  return out.sort();
}

/** Files that belong to no layer: a new folder must be given its place. */
export function unplaced(graph: Graph, layers: Layer[]): string[] {
  return [...graph.keys()].filter((f) => !layerOf(f, layers)).sort();
}

/** The cycles of a graph: its strongly connected parts of more than one node (Tarjan). */
export function cycles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const part: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        part.push(w);
      } while (w !== v);
      if (part.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(part.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** The graph between layers (one node per layer name), for cycles between whole layers. */
export function layerGraph(graph: Graph, layers: Layer[]): Graph {
  const out: Graph = new Map();
  for (const [from, targets] of graph) {
    const a = layerOf(from, layers)?.name;
    if (!a) continue;
    const set = new Set(out.get(a) ?? []);
    for (const to of targets) {
      const b = layerOf(to, layers)?.name;
      if (b && b !== a) set.add(b);
    }
    out.set(a, [...set]);
  }
  return out;
}
