/** The two Prometheus HTTP API calls the live tests and the demo need. */

export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

/** Runs an instant query; throws with Prometheus' own error (e.g. a parse error) on failure. */
export async function instantQuery(prometheusUrl: string, expr: string): Promise<PromSeries[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }),
  });
  const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSeries[] } };
  if (body.status !== 'success' || !body.data) throw new Error(`query failed: ${body.error ?? response.status}\n  ${expr}`);
  if (body.data.resultType !== 'vector') throw new Error(`expected an instant vector, got ${body.data.resultType}\n  ${expr}`);
  return body.data.result;
}

/** Polls a query until it returns at least one series for each label value wanted, or times out. */
export async function waitForSeries(prometheusUrl: string, expr: string, label: string, values: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = new Set<string>();
  while (Date.now() < deadline) {
    seen = new Set((await instantQuery(prometheusUrl, expr)).map((s) => s.metric[label] ?? ''));
    if (values.every((v) => seen.has(v))) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`timed out waiting for ${expr} to have ${label} in [${values.join(', ')}]; saw [${[...seen].join(', ')}]`);
}
