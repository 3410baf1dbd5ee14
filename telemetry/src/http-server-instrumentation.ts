/**
 * A small HTTP server instrumentation in place of the incoming half of
 * `@opentelemetry/instrumentation-http` (whose outgoing half still runs): the server
 * span and `http.server.request.duration`, with the same names and stable
 * semantic-convention attributes, at a fraction of the cost.
 *
 * What it does not do, and why it is cheaper:
 * - Attributes are built only for a recording span: a request that is not sampled
 *   gets a non-recording span (so the caller's decision still propagates), the route
 *   slot for `setHttpRoute`, and the metric record.
 * - The request and response are bound to the request's context by wrapping their
 *   `emit` once, not by patching five listener methods and wrapping every listener.
 * - No header capture, no synthetic-source detection, no full URL parse.
 *
 * It wraps `Server.prototype.emit('request')`, as upstream does: Node 20's
 * `http.server.request.start` diagnostics channel is published before the request is
 * emitted but gives a subscriber no way to run the handler inside a context.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { errorMonitor } from 'node:events';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { RPCType, setRPCMetadata, suppressTracing, type RPCMetadata } from '@opentelemetry/core';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PEER_ADDRESS,
  ATTR_NETWORK_PEER_PORT,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { moduleExports } from './instrumentation-common.js';
import { tenantSlot } from './tenant-context.js';
import type { TenantDurationHistogram } from './tenant-metrics.js';

export interface HttpServerInstrumentationConfig extends InstrumentationConfig {
  /** Requests that make neither a span nor a metric sample (probes, metric scrapes). */
  readonly ignoreIncomingRequest?: (request: IncomingMessage) => boolean;
  /**
   * Where `http.server.request.duration` is recorded, with the tenant of the request's slot.
   * @default - no metric
   */
  readonly requestDurations?: TenantDurationHistogram;
}

/** The scope of the server spans and of `http.server.request.duration`. */
export const HTTP_SERVER_INSTRUMENTATION_SCOPE = { name: '@tenantry/instrumentation-http-server', version: '0.1.0' } as const;

/** The methods semantic conventions name; any other is reported as `_OTHER`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;

interface HttpModuleLike {
  readonly Server: { readonly prototype: { emit: Emit } };
}

/** Runs every event of `emitter` in `ctx`: listeners added by any code see the request's context. */
function bindEmit(emitter: IncomingMessage | ServerResponse, ctx: Context): void {
  const emit = emitter.emit as (...args: unknown[]) => boolean;
  emitter.emit = function (this: unknown) {
    // Most events (each body chunk, finish, close) fire with the context already active;
    // `arguments` passed on as it is allocates no array on that path.
    if (context.active() === ctx) return Reflect.apply(emit, this, arguments);
    return context.with(ctx, emit, this, ...(arguments as unknown as unknown[]));
  } as typeof emitter.emit;
}

function splitHost(host: string | undefined): [string | undefined, number | undefined] {
  if (host === undefined) return [undefined, undefined];
  // `[::1]:8080`, `name:8080`, `name`
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.endsWith(']')) return [host, undefined];
  const port = Number(host.slice(colon + 1));
  return [host.slice(0, colon), Number.isInteger(port) ? port : undefined];
}

function startAttributes(request: IncomingMessage, scheme: string, method: string, path: string, query: string | undefined): Attributes {
  const [address, port] = splitHost(request.headers.host);
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: scheme,
    [ATTR_URL_PATH]: path,
    [ATTR_SERVER_ADDRESS]: address,
    [ATTR_SERVER_PORT]: port ?? request.socket.localPort,
    [ATTR_NETWORK_PEER_ADDRESS]: request.socket.remoteAddress,
    [ATTR_NETWORK_PEER_PORT]: request.socket.remotePort,
    [ATTR_CLIENT_ADDRESS]: request.socket.remoteAddress,
    [ATTR_NETWORK_PROTOCOL_VERSION]: request.httpVersion,
    [ATTR_USER_AGENT_ORIGINAL]: request.headers['user-agent'],
  };
  if (query !== undefined) attributes[ATTR_URL_QUERY] = query;
  return attributes;
}

export class TenantryHttpServerInstrumentation extends InstrumentationBase<HttpServerInstrumentationConfig> {
  constructor(config: HttpServerInstrumentationConfig = {}) {
    super(HTTP_SERVER_INSTRUMENTATION_SCOPE.name, HTTP_SERVER_INSTRUMENTATION_SCOPE.version, config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    const definition = (scheme: 'http' | 'https'): InstrumentationNodeModuleDefinition =>
      new InstrumentationNodeModuleDefinition(
        scheme,
        ['*'],
        (exports: unknown) => {
          const prototype = moduleExports<HttpModuleLike>(exports).Server?.prototype;
          if (prototype !== undefined && !isWrapped(prototype.emit)) this._wrap(prototype, 'emit', (original) => this.#patchEmit(original, scheme));
          return exports;
        },
        (exports: unknown) => {
          const prototype = moduleExports<HttpModuleLike>(exports).Server?.prototype;
          if (prototype !== undefined && isWrapped(prototype.emit)) this._unwrap(prototype, 'emit');
        },
      );
    return [definition('http'), definition('https')];
  }

  #patchEmit(original: Emit, scheme: string): Emit {
    const instrumentation = this;
    return function emit(this: Server, event: string | symbol): boolean {
      if (event !== 'request') return Reflect.apply(original, this, arguments);
      // 'request' comes with exactly the request and the response.
      const request = arguments[1] as IncomingMessage;
      const response = arguments[2] as ServerResponse;
      if (instrumentation.getConfig().ignoreIncomingRequest?.(request)) {
        return context.with(suppressTracing(context.active()), original, this, event, request, response);
      }
      return instrumentation.#traceRequest(this, original, scheme, request, response);
    };
  }

  #traceRequest(server: Server, original: Emit, scheme: string, request: IncomingMessage, response: ServerResponse): boolean {
    const startTime = performance.now();
    const method = KNOWN_METHODS.has(request.method ?? 'GET') ? (request.method ?? 'GET') : '_OTHER';
    // The parent from `traceparent`, and the tenant slot (TenantSlotPropagator).
    const parentContext = propagation.extract(ROOT_CONTEXT, request.headers);
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    // The sampler sees method and path; everything else is built only when the span records.
    const span = this.tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path } }, parentContext);
    if (span.isRecording()) span.setAttributes(startAttributes(request, scheme, method, path, queryStart === -1 ? undefined : url.slice(queryStart + 1)));
    const metadata: RPCMetadata = { type: RPCType.HTTP, span };
    const requestContext = setRPCMetadata(trace.setSpan(parentContext, span), metadata);
    bindEmit(request, requestContext);
    bindEmit(response, requestContext);

    let ended = false;
    const end = (error: Error | undefined): void => {
      if (ended) return;
      ended = true;
      const status = response.statusCode;
      const route = metadata.route;
      if (span.isRecording()) finishSpan(span, method, status, route, error);
      span.end();
      // The slot opened at the request's start, filled by the tenant middleware since.
      this.getConfig().requestDurations?.record((performance.now() - startTime) / 1000, tenantSlot(parentContext)?.tenantId, method, status, route);
    };
    // `on`, not `once`: `end` runs once anyway, and `once` would wrap each listener and
    // remove it again per request.
    response.on('close', () => end(undefined));
    response.on(errorMonitor, (error: Error) => end(error));
    try {
      return context.with(requestContext, original, server, 'request', request, response);
    } catch (error) {
      end(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }
}

function finishSpan(span: Span, method: string, status: number, route: string | undefined, error: Error | undefined): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (route !== undefined) {
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    span.updateName(`${method} ${route}`);
  }
  if (error !== undefined) {
    span.setAttribute(ATTR_ERROR_TYPE, error.name);
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  } else if (status >= 500) {
    span.setAttribute(ATTR_ERROR_TYPE, String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}
