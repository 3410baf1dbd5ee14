/**
 * The tenant leaves the process as W3C baggage only on calls to internal hosts, never
 * to third parties. The HTTP and undici instrumentations call these request hooks
 * with the outgoing request, whose destination is known, before its headers are sent.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { context, propagation } from '@opentelemetry/api';
import { TENANT_BAGGAGE_KEY } from '@tenantry/conventions';
import { tenantSlot } from './tenant-context.js';

/**
 * Hostnames that count as internal: exact names, or `*.suffix` for every subdomain of
 * `suffix`. Matching ignores case and ports.
 */
export class InternalHosts {
  readonly #exact = new Set<string>();
  readonly #suffixes: string[] = [];

  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      const pattern = raw.trim().toLowerCase();
      if (pattern.startsWith('*.')) this.#suffixes.push(pattern.slice(1));
      else if (pattern !== '') this.#exact.add(pattern);
    }
  }

  has(hostname: string): boolean {
    const host = hostname.toLowerCase();
    if (this.#exact.has(host)) return true;
    for (const suffix of this.#suffixes) if (host.endsWith(suffix)) return true;
    return false;
  }
}

/** The baggage header for the current context: its baggage entries plus `tenant.id`, or undefined when there is neither. */
export function outboundBaggage(): string | undefined {
  const active = context.active();
  const tenantId = tenantSlot(active)?.tenantId;
  const members: string[] = [];
  for (const [key, entry] of propagation.getBaggage(active)?.getAllEntries() ?? []) {
    if (key !== TENANT_BAGGAGE_KEY) members.push(`${encodeURIComponent(key)}=${encodeURIComponent(entry.value)}`);
  }
  if (tenantId !== undefined) members.push(`${TENANT_BAGGAGE_KEY}=${encodeURIComponent(tenantId)}`);
  return members.length === 0 ? undefined : members.join(',');
}

/** `requestHook` for the HTTP instrumentation: adds baggage to outgoing requests to internal hosts. */
export function httpBaggageHook(internalHosts: InternalHosts): (span: unknown, request: ClientRequest | IncomingMessage) => void {
  return (_span, request) => {
    if (!('setHeader' in request) || !internalHosts.has(request.host)) return;
    const baggage = outboundBaggage();
    if (baggage !== undefined && !request.headersSent) request.setHeader('baggage', baggage);
  };
}

/** The part of undici's request the hook uses. */
interface UndiciRequestLike {
  readonly origin: string | URL;
  addHeader?(name: string, value: string): unknown;
}

/** `requestHook` for the undici (fetch) instrumentation: same rule as for HTTP. */
export function undiciBaggageHook(internalHosts: InternalHosts): (span: unknown, request: UndiciRequestLike) => void {
  return (_span, request) => {
    if (request.addHeader === undefined) return;
    const baggage = outboundBaggage();
    if (baggage === undefined) return;
    let hostname: string;
    try {
      hostname = request.origin instanceof URL ? request.origin.hostname : new URL(String(request.origin)).hostname;
    } catch {
      return;
    }
    if (internalHosts.has(hostname)) request.addHeader('baggage', baggage);
  };
}
