import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildLoadTests, K6_BUNDLE_OPTIONS } from './build.js';
import { parseTenantsFile } from './src/tenants-file.js';

describe('k6 sources', () => {
  it('type-check against @types/k6 without Node.js types', () => {
    const tsc = spawnSync('npx', ['tsc', '-p', 'loadtests/tsconfig.json'], { encoding: 'utf8' });
    expect(tsc.stdout).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('fail to type-check when they use a Node.js API', () => {
    // Proves the check above can fail: under the k6 settings there is no `process` and no `node:` module.
    // Inside the repository, so that node_modules/@types/k6 resolves as it does for the real sources.
    const directory = mkdtempSync(join(process.cwd(), 'loadtests', '.typecheck-'));
    try {
      writeFileSync(join(directory, 'tsconfig.json'), JSON.stringify({ extends: join(process.cwd(), 'loadtests/tsconfig.json'), include: ['*.ts'] }));
      writeFileSync(join(directory, 'uses-node.ts'), "import { readFileSync } from 'node:fs';\nexport const text: string = readFileSync(process.argv[1] ?? '', 'utf8');\n");
      const tsc = spawnSync('npx', ['tsc', '-p', directory], { encoding: 'utf8' });
      expect(tsc.status).not.toBe(0);
      expect(tsc.stdout).toMatch(/Cannot find module 'node:fs'/);
      expect(tsc.stdout).toMatch(/Cannot find name 'process'/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('k6 bundle', () => {
  const bundle = build({ ...K6_BUNDLE_OPTIONS, write: false, metafile: true, outfile: 'script.js' });

  it('imports only k6 modules', async () => {
    const { metafile } = await bundle;
    const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
    expect(imports.length).toBeGreaterThan(0);
    for (const imported of imports) {
      expect(imported.external).toBe(true);
      expect(imported.path).toMatch(/^k6(\/[a-z-]+)?$/);
    }
  });

  it('holds no CommonJS require or Node.js global', async () => {
    const { outputFiles } = await bundle;
    const code = outputFiles.map((f) => f.text).join('\n');
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bprocess\.|\bBuffer\.|from\s+["']node:/);
    expect(code).toMatch(/^export \{/m);
  });

  it('reads the tenants file with open() next to the script', async () => {
    const { outputFiles } = await bundle;
    expect(outputFiles.map((f) => f.text).join('\n')).toContain('open(__ENV["TENANTS_FILE"] || "./tenants.json")');
  });
});

describe('buildLoadTests()', () => {
  it('writes tenants.json for the chosen environment and the bundle beside it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'tenantry-k6-dist-'));
    try {
      const { tenantsFile, script } = await buildLoadTests({ outputDirectory: directory, environment: 'prod' });
      const file = parseTenantsFile(readFileSync(tenantsFile, 'utf8'));
      expect(file.environment).toBe('prod');
      expect(file.tenants.find((t) => t.id === 'ledgerline')?.hostname).toBe('ledgerline.tenantry.app');
      expect(readFileSync(script, 'utf8')).toMatch(/^export \{/m);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
