import { readFileSync } from 'node:fs';

/*
 * Reads a V8 `.cpuprofile` (what `--cpu-prof` writes, e.g. from `npm run bench -- --cpu-prof DIR`)
 * and prints where the time went: self time per package (node_modules, Node internals, src/),
 * then the functions with the most self time and the most inclusive time. Enough to tell "the
 * SQL client" from "JSON" from "crypto" without opening DevTools.
 *
 * usage: node bench/token-endpoint/summarize-profile.ts FILE.cpuprofile [top N]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName || '(anonymous)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (module) return module[1]!;
  if (url.startsWith('node:')) return `node:${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  const local = /\/(src|sandbox|bench|test)\//.exec(url);
  return local ? `portcullis ${local[1]}` : url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench|sandbox)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

function table(title: string, totals: Map<string, number>, all: number, top: number): string {
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [title, ...rows.map(([name, micros]) => `${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / all).toFixed(1).padStart(5)}%  ${name}`)].join('\n');
}

const [file, topArgument] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/token-endpoint/summarize-profile.ts FILE.cpuprofile [top N]');
  process.exit(2);
}
const top = Number(topArgument ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfByPackage = new Map<string, number>();
const selfByFrame = new Map<string, number>();
const inclusiveByFrame = new Map<string, number>();
let all = 0;
let idle = 0;
profile.samples.forEach((id, index) => {
  const micros = profile.timeDeltas[index] ?? 0;
  const node = byId.get(id)!;
  if (node.callFrame.functionName === '(idle)') {
    idle += micros;
    return;
  }
  all += micros;
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + micros);
  add(selfByPackage, packageOf(node.callFrame.url, node.callFrame.functionName));
  add(selfByFrame, frameName(node));
  // Each function once per sample, however deep its recursion.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = frameName(byId.get(at)!);
    if (!seen.has(name)) add(inclusiveByFrame, name);
    seen.add(name);
  }
});

console.log(`${file}: ${(all / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle on the main thread\n`);
console.log(table('self time by package', selfByPackage, all, top));
console.log(`\n${table('self time by function', selfByFrame, all, top)}`);
console.log(`\n${table('inclusive time by function', inclusiveByFrame, all, top * 2)}`);
