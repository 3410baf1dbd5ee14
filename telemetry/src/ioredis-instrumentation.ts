/**
 * A small ioredis instrumentation in place of `@opentelemetry/instrumentation-ioredis`:
 * a client span per command (named by the command, as upstream names it) with stable
 * semantic-convention attributes, made only inside a recording span. A command of a
 * request that is not sampled, or outside any request, goes straight to ioredis: no
 * attributes, no statement serialization, no wrapped callbacks.
 *
 * `db.query.text` is the command and its key (`get report:harbor-law`), never the
 * values written (upstream's serializer keeps more arguments for some commands).
 */
import { SpanKind, context } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import { endFailed, moduleExports, recordingSpan } from './instrumentation-common.js';

/** `db.system.name` of Redis (not in the stable semantic-convention constants of this version). */
const DB_SYSTEM_NAME_VALUE_REDIS = 'redis';

/** The part of an ioredis `Command` the instrumentation reads. */
interface RedisCommandLike {
  readonly name: string;
  readonly args: readonly unknown[];
  readonly promise: Promise<unknown>;
}

interface RedisClientLike {
  readonly options?: { readonly host?: string; readonly port?: number };
}

type SendCommand = (this: RedisClientLike, command: RedisCommandLike, ...rest: unknown[]) => unknown;

interface IORedisModuleLike {
  readonly prototype?: { sendCommand: SendCommand };
}

/** The command and its key: `get report:harbor-law`. */
export function redisQueryText(name: string, args: readonly unknown[]): string {
  const key = args[0];
  return typeof key === 'string' || typeof key === 'number' ? `${name} ${key}` : Buffer.isBuffer(key) ? `${name} ${key.toString()}` : name;
}

export class TenantryIORedisInstrumentation extends InstrumentationBase {
  constructor(config: InstrumentationConfig = {}) {
    super('@tenantry/instrumentation-ioredis', '0.1.0', config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        'ioredis',
        ['>=4 <6'],
        (exports: unknown) => {
          const prototype = moduleExports<IORedisModuleLike>(exports).prototype;
          if (prototype !== undefined && !isWrapped(prototype.sendCommand)) this._wrap(prototype, 'sendCommand', (original) => this.#patchSendCommand(original));
          return exports;
        },
        (exports: unknown) => {
          const prototype = moduleExports<IORedisModuleLike>(exports).prototype;
          if (prototype !== undefined && isWrapped(prototype.sendCommand)) this._unwrap(prototype, 'sendCommand');
        },
      ),
    ];
  }

  #patchSendCommand(original: SendCommand): SendCommand {
    const instrumentation = this;
    return function sendCommand(this: RedisClientLike, command: RedisCommandLike): unknown {
      const ctx = context.active();
      // `arguments` passed on as it is: no array per command.
      if (recordingSpan(ctx) === undefined || typeof command?.name !== 'string') return Reflect.apply(original, this, arguments);
      const span = instrumentation.tracer.startSpan(command.name, {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_REDIS,
          [ATTR_DB_OPERATION_NAME]: command.name,
          [ATTR_DB_QUERY_TEXT]: redisQueryText(command.name, command.args),
          [ATTR_SERVER_ADDRESS]: this.options?.host,
          [ATTR_SERVER_PORT]: this.options?.port,
        },
      }, ctx);
      const fail = (error: unknown): void => endFailed(span, error instanceof Error ? error.name : 'Error');
      try {
        const result = Reflect.apply(original, this, arguments);
        command.promise.then(() => span.end(), fail);
        return result;
      } catch (error) {
        fail(error);
        throw error;
      }
    };
  }
}
