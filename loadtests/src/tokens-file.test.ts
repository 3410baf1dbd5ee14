import { describe, expect, it } from 'vitest';
import { EXAMPLE_TENANTS_FILE } from './report/example-summary.fixture.js';
import { authorizationHeader, parseTokensFile, TokensFileError } from './tokens-file.js';

const tenants = EXAMPLE_TENANTS_FILE.tenants;
const complete = Object.fromEntries(tenants.map((t) => [t.id, `jwt-${t.id}`]));

describe('parseTokensFile()', () => {
  it('reads a token per tenant', () => {
    expect(parseTokensFile(JSON.stringify(complete), tenants, 'tokens.json')['harbor-law']).toBe('jwt-harbor-law');
  });

  it('names the tenants without a token and the file', () => {
    const { northwind: _dropped, ...partial } = complete;
    expect(() => parseTokensFile(JSON.stringify(partial), tenants, '/tmp/tokens.json')).toThrow(/tokens file \/tmp\/tokens.json .*\n- no token for tenant\(s\) northwind/);
  });

  it('refuses a file that is not JSON, not an object, or holds an empty token', () => {
    expect(() => parseTokensFile('{', tenants, 't.json')).toThrow(TokensFileError);
    expect(() => parseTokensFile('["jwt"]', tenants, 't.json')).toThrow(/top level is not an object/);
    expect(() => parseTokensFile(JSON.stringify({ ...complete, brightwave: '' }), tenants, 't.json')).toThrow(/token of "brightwave" is not a non-empty string/);
  });
});

describe('authorizationHeader()', () => {
  it('is a bearer header with the tenant’s token, or nothing without tokens', () => {
    expect(authorizationHeader(complete, 'ledgerline')).toEqual({ Authorization: 'Bearer jwt-ledgerline' });
    expect(authorizationHeader(undefined, 'ledgerline')).toEqual({});
  });
});
