import { describeCollectorDown, silentCollector } from './testing/collector-down.js';

// The collector accepts connections and never answers: every export waits for its timeout.
describeCollectorDown('a server that never answers', silentCollector, true);
