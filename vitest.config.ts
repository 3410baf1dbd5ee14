import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'cdktf.out/**', 'loadtests/dist/**', 'dashboards/out/**'],
    // Tests start real PostgreSQL, Redis and Prometheus servers and synthesize stacks: give them time.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
