/**
 * Fills every tenant's project list before the bench measures anything. The load's mix
 * creates projects (20% of requests) and `GET /api/projects` answers the newest, up to
 * the plan's page size: on a fresh database every answer is larger than the one before
 * until the page is full. Whatever ran later then met bigger answers than what ran earlier
 * (last round the driver, always run after k6 at a rate, read 1.35–1.45× k6's p95 at
 * 100/s, where the lists were still filling). With full pages from the start, the list
 * route costs the same in every slice of every step.
 */
import { request as httpRequest } from 'node:http';
import type { LoadTenant, TenantTokens } from '../loadtests/driver/index.js';
import { PROJECTS_PATH } from '../loadtests/src/request-mix.js';
import { authorizationHeader } from '../loadtests/src/tokens-file.js';

/** Creates sent per round before the list is read again. */
const CREATES_PER_ROUND = 25;
/** A plan's page is far below this; more rounds mean the list never stops growing. */
const MAX_ROUNDS = 40;

interface Answer {
  readonly status: number;
  readonly body: string;
}

function send(baseUrl: string, tenant: LoadTenant, tokens: TenantTokens | undefined, method: 'GET' | 'POST', path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, baseUrl),
      {
        method,
        headers: {
          host: tenant.hostname,
          'content-type': 'application/json',
          ...authorizationHeader(tokens, tenant.id),
        },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} for ${tenant.id}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function listLength(baseUrl: string, tenant: LoadTenant, tokens: TenantTokens | undefined): Promise<number> {
  const answer = await send(baseUrl, tenant, tokens, 'GET', PROJECTS_PATH);
  if (answer.status !== 200) throw new Error(`GET ${PROJECTS_PATH} for ${tenant.id} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  const parsed: unknown = JSON.parse(answer.body);
  const projects = Array.isArray(parsed) ? parsed : (parsed as { projects?: unknown }).projects;
  if (!Array.isArray(projects)) throw new Error(`GET ${PROJECTS_PATH} for ${tenant.id} answered no list: ${answer.body.slice(0, 200)}`);
  return projects.length;
}

/**
 * Creates projects for every tenant until its list stops growing (its page is full) or
 * its plan refuses more; returns each tenant's list length.
 */
export async function fillProjectLists(baseUrl: string, tenants: readonly LoadTenant[], tokens: TenantTokens | undefined): Promise<Map<string, number>> {
  const lengths = await Promise.all(
    tenants.map(async (tenant): Promise<[string, number]> => {
      let length = await listLength(baseUrl, tenant, tokens);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const statuses = await Promise.all(
          Array.from({ length: CREATES_PER_ROUND }, async (_, i) => (await send(baseUrl, tenant, tokens, 'POST', PROJECTS_PATH, JSON.stringify({ name: `bench-fill-${round}-${i}` }))).status),
        );
        const after = await listLength(baseUrl, tenant, tokens);
        if (after === length || statuses.includes(403)) return [tenant.id, after];
        length = after;
      }
      throw new Error(`${tenant.id}'s project list still grew after ${MAX_ROUNDS * CREATES_PER_ROUND} creates (${length} projects listed)`);
    }),
  );
  return new Map(lengths);
}
