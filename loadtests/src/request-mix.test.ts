import { describe, expect, it } from 'vitest';
import { isExpectedStatus, MIX_CYCLE, planRequest, projectIdFrom } from './request-mix.js';

describe('planRequest()', () => {
  it('sends 50% list, 30% get and 20% create once a project is known', () => {
    const counts = { list: 0, get: 0, create: 0 };
    for (let i = 0; i < 1000; i++) counts[planRequest(i, '7').action]++;
    expect(counts).toEqual({ list: 500, get: 300, create: 200 });
  });

  it('sends a get as a create until the tenant has a project to read', () => {
    const firstGet = MIX_CYCLE.indexOf('get');
    expect(planRequest(firstGet, undefined)).toMatchObject({ action: 'create', method: 'POST', path: '/api/projects' });
    expect(planRequest(firstGet, 'a b')).toMatchObject({ action: 'get', method: 'GET', path: '/api/projects/a%20b', name: 'GET /api/projects/:id' });
  });

  it('sends a JSON body with a name on create', () => {
    const create = planRequest(MIX_CYCLE.indexOf('create'), undefined);
    expect(JSON.parse(create.body ?? '')).toEqual({ name: expect.any(String) });
  });
});

describe('projectIdFrom()', () => {
  it('reads the id of the created row, bare or wrapped in `project`', () => {
    expect(projectIdFrom('{"id":"3f2a","name":"x"}')).toBe('3f2a');
    expect(projectIdFrom('{"project":{"id":42}}')).toBe('42');
  });

  it('gives nothing for an error page', () => {
    expect(projectIdFrom('<html>502</html>')).toBeUndefined();
    expect(projectIdFrom('')).toBeUndefined();
  });
});

describe('isExpectedStatus()', () => {
  it('expects 201 from create and 200 from list and get', () => {
    expect(isExpectedStatus('create', 201)).toBe(true);
    expect(isExpectedStatus('create', 200)).toBe(false);
    expect(isExpectedStatus('get', 404)).toBe(false);
    expect(isExpectedStatus('get', 200)).toBe(true);
    expect(isExpectedStatus('list', 500)).toBe(false);
  });

  it('accepts the plan-limit 403 from create only', () => {
    expect(isExpectedStatus('create', 403)).toBe(true);
    expect(isExpectedStatus('list', 403)).toBe(false);
  });
});
