/**
 * The projects a tenant owns. Every function takes a client inside
 * `inTenantTransaction`: none filters by tenant itself, RLS does, so a forgotten
 * `where tenant_id = …` cannot leak another tenant's rows.
 */
import type pg from 'pg';

export interface Project {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly createdAt: string;
}

interface ProjectRow {
  id: string;
  tenant_id: string;
  name: string;
  created_at: Date;
}

const COLUMNS = 'id, tenant_id, name, created_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toProject(row: ProjectRow): Project {
  return { id: row.id, tenantId: row.tenant_id, name: row.name, createdAt: row.created_at.toISOString() };
}

/** The tenant's newest projects, at most `limit`. */
export async function listProjects(client: pg.PoolClient, limit: number): Promise<Project[]> {
  const result = await client.query<ProjectRow>(`select ${COLUMNS} from projects order by created_at desc, id limit $1`, [limit]);
  return result.rows.map(toProject);
}

/** The project with this id if the tenant owns it; undefined for any other id, well-formed or not. */
export async function findProject(client: pg.PoolClient, id: string): Promise<Project | undefined> {
  if (!UUID.test(id)) return undefined;
  const result = await client.query<ProjectRow>(`select ${COLUMNS} from projects where id = $1`, [id]);
  const row = result.rows[0];
  return row === undefined ? undefined : toProject(row);
}

/** How many projects the tenant owns. */
async function countProjects(client: pg.PoolClient): Promise<number> {
  const result = await client.query<{ count: string }>('select count(*) as count from projects');
  return Number(result.rows[0]?.count ?? 0);
}

/**
 * Creates a project unless the tenant owns `maxProjects` already; undefined then. The
 * tenant's creations are serialised until the transaction ends by a transaction-scoped
 * advisory lock on the tenant, and the insert counts in the same statement, with a
 * snapshot taken after the lock: two concurrent creates cannot both see 99 of 100.
 * Other tenants take other locks and never wait.
 */
export async function createProjectWithinLimit(client: pg.PoolClient, tenantId: string, name: string, maxProjects: number): Promise<Project | undefined> {
  // The service never deletes, so a count at the limit stays there: a tenant already at
  // its limit is refused without queueing for the lock behind its own creates.
  if ((await countProjects(client)) >= maxProjects) return undefined;
  await client.query(`select pg_advisory_xact_lock(hashtext('tenant-api:projects'), hashtext($1))`, [tenantId]);
  const result = await client.query<ProjectRow>(
    `insert into projects (tenant_id, name) select $1, $2 where (select count(*) from projects) < $3 returning ${COLUMNS}`,
    [tenantId, name, maxProjects],
  );
  const row = result.rows[0];
  return row === undefined ? undefined : toProject(row);
}

/** Creates a project; the policy's WITH CHECK refuses a tenant_id other than the transaction's. */
export async function createProject(client: pg.PoolClient, tenantId: string, name: string): Promise<Project> {
  const result = await client.query<ProjectRow>(`insert into projects (tenant_id, name) values ($1, $2) returning ${COLUMNS}`, [tenantId, name]);
  const row = result.rows[0];
  if (row === undefined) throw new Error('insert returned no row');
  return toProject(row);
}
