import { freePort } from '../../testing/free-port.js';
import { describeCollectorDown } from './testing/collector-down.js';

// Nothing listens on the port: every export fails at once with ECONNREFUSED.
describeCollectorDown('a closed port', async () => ({ port: await freePort(), connections: () => 0, close: async () => {} }), false);
