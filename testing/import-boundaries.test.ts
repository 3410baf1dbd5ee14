/**
 * The import arrows between top-level folders, as docs/architecture.md draws them: this
 * reads the import statements of every .ts file and fails on an arrow the architecture
 * forbids, and fails when the table in the doc and the one here differ.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** Folder → the folders its library (non-test) files may import. Tests are checked separately. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  conventions: [],
  'synth-model': [],
  catalog: ['conventions'],
  constructs: ['conventions'],
  telemetry: ['catalog', 'conventions'],
  dashboards: ['catalog', 'conventions'],
  loadtests: ['catalog', 'conventions'],
  canary: ['catalog', 'conventions'],
  audit: ['catalog', 'conventions'],
  stacks: ['catalog', 'constructs', 'conventions', 'dashboards', 'synth-model'],
  posture: ['audit', 'catalog', 'constructs', 'conventions', 'stacks', 'synth-model'],
  examples: ['catalog', 'conventions', 'telemetry'],
  deploy: ['conventions'],
  testing: ['*'],
  bench: ['*'],
  demo: ['*'],
};

/** Folders whose code never ships: only tests, benchmarks and demos may import them. */
const HELPER_FOLDERS = ['testing', 'bench', 'demo'];

const PACKAGES: Readonly<Record<string, string>> = {
  '@tenantry/conventions': 'conventions',
  '@tenantry/catalog': 'catalog',
  '@tenantry/telemetry': 'telemetry',
  '@tenantry/canary': 'canary',
  '@tenantry/audit': 'audit',
  '@tenantry/example-tenant-api': 'examples',
};

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'cdktf.out', 'out', '.git', '.gen', 'coverage']);

function typescriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return typescriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

interface ImportArrow {
  /** Repository-relative path of the importing file. */
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly specifier: string;
}

/** The top-level folder a specifier points into, or undefined for a third-party package. */
function targetFolder(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) return normalize(relative(root, join(dirname(join(root, file)), specifier))).split('/')[0];
  const name = Object.keys(PACKAGES).find((p) => specifier === p || specifier.startsWith(`${p}/`));
  return name ? PACKAGES[name] : undefined;
}

function importArrows(): ImportArrow[] {
  return typescriptFiles(root).flatMap((path) => {
    const file = relative(root, path);
    const from = file.split('/')[0]!;
    return [...readFileSync(path, 'utf8').matchAll(IMPORT)].flatMap((match) => {
      const specifier = (match[1] ?? match[2])!;
      const to = targetFolder(file, specifier);
      return to !== undefined && to !== from ? [{ file, from, to, specifier }] : [];
    });
  });
}

const isTestFile = (file: string): boolean => /\.(test|fixture)\.ts$/.test(file);
const arrows = importArrows();
const key = (a: ImportArrow): string => `${a.file} → ${a.to}`;

describe('import boundaries', () => {
  it('reads the imports of every folder (the checks below are not vacuous)', () => {
    expect(new Set(arrows.map((a) => a.from))).toEqual(new Set(['audit', 'bench', 'canary', 'catalog', 'constructs', 'dashboards', 'demo', 'deploy', 'examples', 'loadtests', 'posture', 'stacks', 'telemetry', 'testing']));
  });

  it('library files import only the folders the architecture allows', () => {
    const forbidden = arrows
      .filter((a) => !isTestFile(a.file))
      .filter((a) => {
        const allowed = ALLOWED[a.from];
        return allowed === undefined || !(allowed.includes('*') || allowed.includes(a.to));
      })
      .map((a) => `${key(a)} (${a.specifier})`);
    expect(forbidden).toEqual([]);
  });

  it('nothing but tests, benchmarks and demos imports from testing/, bench/ or demo/', () => {
    const forbidden = arrows.filter((a) => HELPER_FOLDERS.includes(a.to) && !isTestFile(a.file) && !HELPER_FOLDERS.includes(a.from)).map(key);
    expect(forbidden).toEqual([]);
  });

  it('tests import no benchmark or demo', () => {
    expect(arrows.filter((a) => isTestFile(a.file) && (a.to === 'bench' || a.to === 'demo')).map(key)).toEqual([]);
  });

  it('no file outside the tests imports a test file', () => {
    const testImports = typescriptFiles(root)
      .map((path) => relative(root, path))
      .filter((file) => !isTestFile(file))
      .flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(IMPORT)].map((m) => `${file} → ${m[1] ?? m[2]}`))
      .filter((arrow) => /\.test(\.[jt]s)?$/.test(arrow));
    expect(testImports).toEqual([]);
  });

  it('docs/architecture.md draws the same arrows as this test checks', () => {
    const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z-]+)\/` \| ([^|]+) \|/gm)].map(([, folder, imports]) => [
      folder,
      imports!.trim() === 'nothing' ? [] : imports!.trim() === 'anything' ? ['*'] : [...imports!.matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1]),
    ]);
    expect(Object.fromEntries(rows)).toEqual(ALLOWED);
  });
});
