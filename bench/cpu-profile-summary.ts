/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and says where the time went:
 * self time per package (`node_modules/<name>`, Node's own `node:` modules, the service's
 * own code, garbage collection, idle) and the top functions by self time.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

export interface TimeShare {
  readonly name: string;
  /** Share of all samples (idle included), 0–1. */
  readonly share: number;
}

export interface CpuProfileSummary {
  readonly samples: number;
  /** Share of samples in which the service was not idle. */
  readonly busyShare: number;
  readonly byPackage: readonly TimeShare[];
  readonly topFunctions: readonly TimeShare[];
}

/** Where a frame's code lives: an npm package, a Node.js built-in, the service, or a V8 pseudo-frame. */
export function packageOf(frame: ProfileNode['callFrame']): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (modules?.[1]) return modules[1];
  if (frame.url.startsWith('node:')) return 'node: built-ins';
  if (frame.url.includes('/examples/tenant-api/')) return 'tenant-api (own code)';
  if (frame.url.includes('/telemetry/') || frame.url.includes('/catalog/') || frame.url.includes('/conventions/')) return 'tenantry packages';
  // V8's pseudo-frames are already parenthesized: (idle), (garbage collector), (program).
  if (frame.url === '') return frame.functionName.startsWith('(') ? frame.functionName : `(${frame.functionName || 'native'})`;
  return frame.url;
}

export function summarizeCpuProfile(path: string, top = 12): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodesById = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = nodesById.get(id)?.callFrame;
    if (!frame) continue;
    const pkg = packageOf(frame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + 1);
    const where = frame.url ? `${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/examples\//, 'examples/')}:${frame.lineNumber + 1}` : 'native';
    const name = `${frame.functionName || '(anonymous)'} ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length || 1;
  const ranked = (counts: Map<string, number>): TimeShare[] =>
    [...counts].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, count]) => ({ name, share: count / total }));
  return {
    samples: profile.samples.length,
    busyShare: 1 - (byPackage.get('(idle)') ?? 0) / total,
    byPackage: ranked(byPackage),
    topFunctions: ranked(byFunction),
  };
}
