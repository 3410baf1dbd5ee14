/**
 * Which tenant the next request is for: smooth weighted round-robin (the algorithm of
 * nginx's upstream balancer). Every tenant gets exactly its weight's share over a cycle,
 * and its requests are spread evenly through the cycle instead of arriving in a burst.
 */
export class WeightedSchedule {
  private readonly current: number[];
  private readonly total: number;

  constructor(private readonly weights: readonly number[]) {
    if (weights.length === 0 || weights.some((w) => !(w > 0))) {
      throw new RangeError(`weights must be positive numbers, one per tenant, got [${weights.join(', ')}]`);
    }
    this.current = weights.map(() => 0);
    this.total = weights.reduce((a, b) => a + b, 0);
  }

  /** Index of the tenant the next request goes to. */
  next(): number {
    let best = 0;
    for (let i = 0; i < this.weights.length; i++) {
      this.current[i] = (this.current[i] ?? 0) + (this.weights[i] ?? 0);
      if ((this.current[i] ?? 0) > (this.current[best] ?? 0)) best = i;
    }
    this.current[best] = (this.current[best] ?? 0) - this.total;
    return best;
  }
}
