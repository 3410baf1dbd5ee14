/**
 * `npm run tokens -w @tenantry/example-tenant-api -- --help`: writes a tokens file
 * (`{ "<tenant-id>": "<jwt>" }`) for load tools and demos, signed with a local key.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '@tenantry/catalog';
import type { JWK } from 'jose';
import { generateTokenKeys, mintTenantTokens } from './tokens.js';

const HELP = `Usage: npm run tokens -w @tenantry/example-tenant-api -- [options]

Mints one JWT per tenant (claim "tenant_id") and writes the tokens file
{ "<tenant-id>": "<jwt>", ... } that k6 (TENANTRY_TOKENS) and the load driver (--tokens) read.

  --key <file>         private signing key as a JWK (JSON). Required unless --new-key.
  --new-key <dir>      generate an ES256 key pair: writes <dir>/private.jwk.json and
                       <dir>/jwks.json (give the service TENANTRY_AUTH_JWKS_FILE=<dir>/jwks.json)
  --out <file>         where to write the tokens file (default: tokens.json)
  --tenants <a,b>      tenant ids (default: every tenant of the catalog, $TENANTRY_CATALOG)
  --issuer <iss>       iss claim (match the service's TENANTRY_AUTH_ISSUER)
  --audience <aud>     aud claim (match the service's TENANTRY_AUTH_AUDIENCE)
  --expires <seconds>  lifetime (default: 86400)
  --help               this text
`;

function fail(message: string): never {
  process.stderr.write(`tokens: ${message}\nRun with --help for the options.\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      key: { type: 'string' },
      'new-key': { type: 'string' },
      out: { type: 'string', default: 'tokens.json' },
      tenants: { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      expires: { type: 'string', default: '86400' },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
// `npm run -w` runs in the workspace folder; paths are meant from where npm was called.
const fromCaller = (path: string): string => resolve(process.env['INIT_CWD'] ?? process.cwd(), path);
if ((values.key === undefined) === (values['new-key'] === undefined)) fail('give exactly one of --key <file> and --new-key <dir>');
const expiresInSeconds = Number(values.expires);
if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1) fail(`--expires ${values.expires} is not a whole number of seconds`);

let privateJwk: JWK;
if (values['new-key'] !== undefined) {
  const dir = fromCaller(values['new-key']);
  if (existsSync(join(dir, 'private.jwk.json'))) fail(`${join(dir, 'private.jwk.json')} exists already; use --key to reuse it`);
  mkdirSync(dir, { recursive: true });
  const keys = await generateTokenKeys();
  privateJwk = keys.privateJwk;
  writeFileSync(join(dir, 'private.jwk.json'), JSON.stringify(privateJwk, null, 2) + '\n', { mode: 0o600 });
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(keys.jwks, null, 2) + '\n');
  process.stdout.write(`wrote ${join(dir, 'private.jwk.json')} and ${join(dir, 'jwks.json')}\n`);
} else {
  try {
    privateJwk = JSON.parse(readFileSync(fromCaller(values.key as string), 'utf8')) as JWK;
  } catch (error) {
    fail(`--key ${values.key}: ${(error as Error).message}`);
  }
  if (privateJwk.d === undefined) fail(`--key ${values.key} is not a private JWK (it has no "d")`);
}

const catalogIds = loadCatalog().tenants.map((t) => t.id);
const tenants = values.tenants === undefined ? catalogIds : values.tenants.split(',').map((t) => t.trim()).filter((t) => t !== '');
const unknown = tenants.filter((t) => !catalogIds.includes(t));
if (unknown.length > 0) fail(`--tenants names ${unknown.join(', ')}, not in the catalog (known: ${catalogIds.join(', ')})`);
const tokens = await mintTenantTokens(privateJwk, tenants, {
  expiresInSeconds,
  ...(values.issuer === undefined ? {} : { issuer: values.issuer }),
  ...(values.audience === undefined ? {} : { audience: values.audience }),
});
const out = fromCaller(values.out);
writeFileSync(out, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
process.stdout.write(`wrote ${tenants.length} tokens to ${out}\n`);
