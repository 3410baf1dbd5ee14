// A span exporter that accepts and drops every batch: the benchmark measures the
// service's side of tracing, not a collector.
export const discardExporter = {
  export(_spans, done) {
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};
