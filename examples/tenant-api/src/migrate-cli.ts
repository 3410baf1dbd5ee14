/** `npm run migrate -w examples/tenant-api`: applies the migrations and exits. */
import { ConfigError } from './config.js';
import { migrate } from './migrations.js';

try {
  const appUrl = process.env['DATABASE_URL'];
  if (!appUrl) throw new ConfigError('DATABASE_URL is not set (see docs/tenant-api.md)');
  const result = await migrate(process.env['MIGRATION_DATABASE_URL'] || appUrl, appUrl);
  process.stdout.write(`schema at version ${result.current}; applied ${result.applied.length === 0 ? 'nothing' : result.applied.join(', ')}\n`);
} catch (error) {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
