// The request handler every mode of the benchmark serves: resolve the tenant, one
// custom span, answer JSON. The same code runs with and without telemetry.
import http from 'node:http';
import { trace } from '@opentelemetry/api';
import { tenantRequestHandler } from '@tenantry/telemetry';

const tracer = trace.getTracer('bench');
const server = http.createServer(
  tenantRequestHandler((_req, res, tenant) => {
    tracer.startActiveSpan('handle', (span) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ tenant: tenant.known ? tenant.tenantId : null }));
      span.end();
    });
  }),
);
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
