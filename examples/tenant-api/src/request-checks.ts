/** Checks of the request line and headers that Node's parser leaves to the application. */
import type { IncomingMessage } from 'node:http';
import { ClientError } from './http-json.js';

/**
 * RFC 9112 §3.2: a request with more than one Host field, or an invalid one, is answered
 * 400. Host is `uri-host [ ":" port ]` (RFC 3986): a registered name, an IPv4 address or
 * a bracketed IPv6 literal.
 */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~%!$&'()*+,;=]+)(?::[0-9]{1,5})?$/;

/** The request's one valid Host header. @throws ClientError 400 for none, several or a malformed one */
export function singleValidHost(request: IncomingMessage): string {
  const hosts = request.headersDistinct['host'] ?? [];
  if (hosts.length !== 1) throw new ClientError(400, `a request needs exactly one Host header, got ${hosts.length}`);
  const host = hosts[0] as string;
  if (!HOST.test(host)) throw new ClientError(400, `Host ${JSON.stringify(host)} is not a valid host[:port]`);
  return host;
}
