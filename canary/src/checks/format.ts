/** Number formats the checks' explanations share. */
export function percent(share: number | undefined): string {
  return share === undefined ? 'n/a' : `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`;
}

export function ms(seconds: number | undefined): string {
  return seconds === undefined ? 'n/a' : `${Math.round(seconds * 1000)} ms`;
}
