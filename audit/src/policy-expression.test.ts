/** Policy expressions as pg_policies deparses them: which restrict to the session's tenant. */
import { describe, expect, it } from 'vitest';
import { restrictsToTenant, type TenantScope } from './policy-expression.js';

const scope: TenantScope = { column: 'tenant_id', setting: 'app.current_tenant', settingFunctions: new Set(['app.current_tenant']) };
const SETTING = "current_setting('app.current_tenant'::text, true)";

describe('restrictsToTenant', () => {
  it.each([
    ['the reference policy', `(tenant_id = ${SETTING})`],
    ['the setting on the left', `(${SETTING} = tenant_id)`],
    ['a uuid column and a cast setting', `(tenant_id = (${SETTING})::uuid)`],
    ['a cast column', `((tenant_id)::text = ${SETTING})`],
    ['a table-qualified column', `(projects.tenant_id = ${SETTING})`],
    ['the initplan form', `(tenant_id = ( SELECT ${SETTING} AS current_setting))`],
    ['NULLIF of the empty setting', `(tenant_id = NULLIF(${SETTING}, ''::text))`],
    ['current_setting without missing_ok', `(tenant_id = current_setting('app.current_tenant'::text))`],
    ['a function that returns the setting', '(tenant_id = app.current_tenant())'],
    ['the tenant test AND something else', `((tenant_id = ${SETTING}) AND (archived = false))`],
    ['every OR branch testing the tenant', `(((tenant_id = ${SETTING}) AND a) OR ((tenant_id = ${SETTING}) AND b))`],
  ])('accepts %s', (_name, expression) => {
    expect(restrictsToTenant(expression, scope)).toBe(true);
  });

  it.each([
    ['USING (true)', 'true'],
    ['no expression (an INSERT policy without WITH CHECK)', null],
    ['an OR branch that does not test the tenant', `((tenant_id = ${SETTING}) OR true)`],
    ['an OR with a role test', `((tenant_id = ${SETTING}) OR (CURRENT_USER = 'admin'::name))`],
    ['another setting', "(tenant_id = current_setting('app.tenant'::text, true))"],
    ['another column', `(owner_id = ${SETTING})`],
    ['an inequality', `(tenant_id <> ${SETTING})`],
    ['LIKE, which a tenant setting of % defeats', `(tenant_id ~~ ${SETTING})`],
    ['a negation', `(NOT (tenant_id = ${SETTING}))`],
    ['IS NOT DISTINCT FROM, which matches NULL to NULL', `(NOT (tenant_id IS DISTINCT FROM ${SETTING}))`],
    ['a comparison with a constant', "(tenant_id = 'acme'::text)"],
    ['lower() on both sides, which merges tenants differing in case', `(lower(tenant_id) = lower(${SETTING}))`],
    ['a subquery over another table', `(tenant_id IN ( SELECT m.tenant_id FROM memberships m WHERE (m.user_id = ${SETTING})))`],
    ['a function not known to return the setting', '(tenant_id = public.any_tenant())'],
    ['the setting in a string literal', "(tenant_id = 'current_setting(''app.current_tenant'')'::text)"],
  ])('rejects %s', (_name, expression) => {
    expect(restrictsToTenant(expression, scope)).toBe(false);
  });

  it('accepts a literal naming the schema\'s own tenant only where the scope allows it', () => {
    const schemaScope: TenantScope = { ...scope, tenantLiterals: new Set(['acme']) };
    expect(restrictsToTenant(`(${SETTING} = 'acme'::text)`, schemaScope)).toBe(true);
    expect(restrictsToTenant(`(${SETTING} = 'other'::text)`, schemaScope)).toBe(false);
    expect(restrictsToTenant(`(${SETTING} = 'acme'::text)`, scope)).toBe(false);
  });
});
