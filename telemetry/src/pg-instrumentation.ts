/**
 * A small PostgreSQL instrumentation in place of `@opentelemetry/instrumentation-pg`:
 * one client span per query that matters, with the same span name (`pg.query:SELECT
 * <db>`) and stable semantic-convention attributes, and nothing else.
 *
 * - The RLS preamble of a tenant transaction (`BEGIN`, `set_config(…)`, `SET LOCAL`,
 *   `COMMIT`, `ROLLBACK`) is plumbing: it becomes an event on the span the transaction
 *   runs in (the request's span), with its SQL text, not a span of its own.
 *   `preambleSpans: true` (`TENANTRY_OTEL_PREAMBLE_SPANS=true`) restores the spans.
 * - A query outside a recording span (no request, or a request that is not sampled)
 *   costs one context lookup: no attributes, no span name, no wrapper.
 * - What a query text is (plumbing or not, its span name) is worked out once per text
 *   and remembered: an application sends the same few texts over and over.
 * - No metrics (upstream's `db.client.*` are outside the contract and were dropped anyway),
 *   no pool-connect spans, no error message on the span (it can hold row data): the
 *   status is ERROR and `error.type` the SQLSTATE code.
 */
import { SpanKind, context, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import { DB_TRANSACTION_STATEMENT_EVENT } from '@tenantry/conventions';
import { endFailed, moduleExports, recordingSpan } from './instrumentation-common.js';

/** Set to `true` to give the transaction preamble (BEGIN, set_config, COMMIT) spans of its own again. */
export const PREAMBLE_SPANS_VARIABLE = 'TENANTRY_OTEL_PREAMBLE_SPANS';

export interface PgInstrumentationConfig extends InstrumentationConfig {
  /**
   * Make a span for each transaction-control and settings statement too (BEGIN,
   * set_config, SET, COMMIT, ROLLBACK), instead of an event on the enclosing span.
   * @default false
   */
  readonly preambleSpans?: boolean;
}

const SUPPORTED_VERSIONS = ['>=8.0.3 <9'];
const POOL_SUPPORTED_VERSIONS = ['>=2 <4'];

type ConnectFunction = (this: unknown, callback?: (...args: unknown[]) => unknown) => unknown;

interface PgPoolLike {
  readonly prototype: { connect: ConnectFunction };
}

/** The part of `pg.Client` the instrumentation reads. */
interface PgClientLike {
  readonly database?: string;
  readonly connectionParameters?: { readonly host?: string; readonly port?: number | string; readonly database?: string };
}

type QueryFunction = (this: PgClientLike, ...args: unknown[]) => unknown;

interface PgModuleLike {
  readonly Client?: { readonly prototype: { query: QueryFunction } };
}

/**
 * Statements that only set up or end a transaction: `begin`, `start transaction`,
 * `commit`, `end`, `rollback`, `savepoint`, `release`, `set …` and `select set_config(…)`
 * with no FROM. A query is plumbing when every `;`-separated statement of it is.
 */
const PLUMBING_STATEMENT = /^\s*(?:begin|start\s+transaction|commit|end|rollback|savepoint|release|set\s|select\s+set_config\s*\((?![\s\S]*\bfrom\b))/i;

/** Whether `text` consists only of transaction-control and settings statements. */
export function isTransactionPlumbing(text: string): boolean {
  // Cheap first test: most queries are ordinary ones and fail it at once.
  if (!PLUMBING_STATEMENT.test(text)) return false;
  for (const statement of text.split(';')) {
    if (statement.trim() !== '' && !PLUMBING_STATEMENT.test(statement)) return false;
  }
  return true;
}

/** `pg.query:SELECT tenant_api`, the name upstream's instrumentation gives the span. */
export function querySpanName(text: string, database: string | undefined): string {
  const trimmed = text.trimStart();
  const space = trimmed.search(/\s/);
  let command = (space === -1 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  if (command.endsWith(';')) command = command.slice(0, -1);
  return `pg.query:${command}${database ? ` ${database}` : ''}`;
}

/** What the instrumentation needs to know of a query text. */
interface QueryShape {
  readonly plumbing: boolean;
  /** The span name for the database it was last seen on. */
  name: string;
  database: string | undefined;
}

/**
 * Query texts remembered. Texts with literals inlined (a tenant id, say) make one entry
 * each; past the bound, new texts are classified per query and not kept. Long texts
 * (inlined bulk values) are never kept, so the memory held stays small.
 */
const MAX_REMEMBERED_TEXTS = 1024;
const MAX_REMEMBERED_TEXT_LENGTH = 1024;
const shapes = new Map<string, QueryShape>();

function shapeOf(text: string, database: string | undefined): QueryShape {
  let shape = shapes.get(text);
  if (shape === undefined) {
    shape = { plumbing: isTransactionPlumbing(text), name: querySpanName(text, database), database };
    if (shapes.size < MAX_REMEMBERED_TEXTS && text.length <= MAX_REMEMBERED_TEXT_LENGTH) shapes.set(text, shape);
  } else if (shape.database !== database) {
    shape.name = querySpanName(text, database);
    shape.database = database;
  }
  return shape;
}

/** A query config `{ text, callback }`, which pg answers through its callback, not a promise. */
interface QueryConfigWithCallback {
  readonly text: string;
  readonly callback: (...args: unknown[]) => unknown;
}

function queryTextOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { text?: unknown }).text === 'string') return (arg as { text: string }).text;
  return undefined;
}

function hasConfigCallback(arg: unknown): arg is QueryConfigWithCallback {
  return typeof arg === 'object' && arg !== null && typeof (arg as { callback?: unknown }).callback === 'function';
}

function endWithError(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  endFailed(span, typeof code === 'string' ? code : undefined);
}

/** `callback` made to end `span` first and run in `ctx`, the context the query was sent from. */
function endingCallback(span: Span, ctx: Context, callback: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return function (this: unknown, error: unknown, ...rest: unknown[]): unknown {
    if (error) endWithError(span, error);
    else span.end();
    return context.with(ctx, callback, this, error, ...rest);
  };
}

export class TenantryPgInstrumentation extends InstrumentationBase<PgInstrumentationConfig> {
  constructor(config: PgInstrumentationConfig = {}) {
    super('@tenantry/instrumentation-pg', '0.1.0', config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const patch = (exports: unknown): unknown => {
      const prototype = moduleExports<PgModuleLike>(exports).Client?.prototype;
      if (prototype !== undefined && !isWrapped(prototype.query)) this._wrap(prototype, 'query', (original) => this.#patchQuery(original));
      return exports;
    };
    const unpatch = (exports: unknown): void => {
      const prototype = moduleExports<PgModuleLike>(exports).Client?.prototype;
      if (prototype !== undefined && isWrapped(prototype.query)) this._unwrap(prototype, 'query');
    };
    // `pg` for ES-module imports, `pg/lib/client.js` for CommonJS require.
    const clientFile = new InstrumentationNodeModuleFile('pg/lib/client.js', SUPPORTED_VERSIONS, (client: unknown) => {
      patch({ Client: client });
      return client;
    }, (client: unknown) => unpatch({ Client: client }));
    return [new InstrumentationNodeModuleDefinition('pg', SUPPORTED_VERSIONS, patch, unpatch, [clientFile]), poolDefinition(this._wrap.bind(this), this._unwrap.bind(this))];
  }



  #patchQuery(original: QueryFunction): QueryFunction {
    const instrumentation = this;
    // `arguments` is passed on as it is where no span is made: no array per query.
    return function query(this: PgClientLike): unknown {
      const ctx = context.active();
      const parent = recordingSpan(ctx);
      // Not in a request, or in one that is not sampled: no span work at all.
      if (parent === undefined) return Reflect.apply(original, this, arguments);
      const text = queryTextOf(arguments[0]);
      if (text === undefined) return Reflect.apply(original, this, arguments);
      const parameters = this.connectionParameters;
      const database = parameters?.database ?? this.database;
      const shape = shapeOf(text, database);
      if (shape.plumbing && !instrumentation.getConfig().preambleSpans) {
        parent.addEvent(DB_TRANSACTION_STATEMENT_EVENT, { [ATTR_DB_QUERY_TEXT]: text });
        return Reflect.apply(original, this, arguments);
      }
      return instrumentation.#traceQuery(instrumentation.tracer, ctx, this, original, Array.from(arguments), text, shape.name);
    };
  }

  #traceQuery(tracer: Tracer, ctx: Context, client: PgClientLike, original: QueryFunction, args: unknown[], text: string, name: string): unknown {
    const parameters = client.connectionParameters;
    const database = parameters?.database ?? client.database;
    const span = tracer.startSpan(name, {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
        [ATTR_DB_NAMESPACE]: database,
        [ATTR_SERVER_ADDRESS]: parameters?.host,
        [ATTR_SERVER_PORT]: parameters?.port === undefined ? undefined : Number(parameters.port),
        [ATTR_DB_QUERY_TEXT]: text,
      },
    }, ctx);
    const last = args.length - 1;
    const callback = args[last];
    const config = args[0];
    // Callbacks run from the socket's events: they get back the caller's context.
    if (typeof callback === 'function') {
      args[last] = endingCallback(span, ctx, callback as (...a: unknown[]) => unknown);
    } else if (hasConfigCallback(config)) {
      // A copy: the caller's config object may be reused for another query.
      args[0] = { ...config, callback: endingCallback(span, ctx, config.callback) };
    }
    let result: unknown;
    try {
      result = original.apply(client, args);
    } catch (error) {
      endWithError(span, error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          endWithError(span, error);
          throw error;
        },
      );
    }
    if (typeof callback !== 'function' && !hasConfigCallback(config)) {
      // A submittable (pg-cursor, pg-query-stream) reports its end as events.
      const emitter = result as { once?: (event: string, listener: (error?: unknown) => void) => unknown } | undefined;
      if (typeof emitter?.once === 'function') {
        emitter.once('end', () => span.end());
        emitter.once('error', (error) => endWithError(span, error));
      } else {
        span.end();
      }
    }
    return result;
  }
}

/**
 * pg-pool hands a waiting `connect` callback the client another caller released, from
 * that caller's context; `pool.query` runs its query inside that callback. Binding the
 * callback to the context `connect` was called in keeps the query span (and its tenant)
 * with the request that asked for it. No span is made here. (A plain function: `init()`
 * runs inside the base class's constructor, before private methods exist.)
 */
function poolDefinition(wrap: InstrumentationBase['_wrap'], unwrap: InstrumentationBase['_unwrap']): InstrumentationNodeModuleDefinition {
  const patch = (Pool: PgPoolLike): PgPoolLike => {
    if (!isWrapped(Pool.prototype.connect)) {
      wrap(Pool.prototype, 'connect', (original: ConnectFunction) =>
        function connect(this: unknown, callback?: (...args: unknown[]) => unknown): unknown {
          return original.call(this, typeof callback === 'function' ? context.bind(context.active(), callback) : callback);
        },
      );
    }
    return Pool;
  };
  const unpatch = (Pool: PgPoolLike): void => {
    if (isWrapped(Pool.prototype.connect)) unwrap(Pool.prototype, 'connect');
  };
  return new InstrumentationNodeModuleDefinition('pg-pool', POOL_SUPPORTED_VERSIONS, patch, unpatch);
}
