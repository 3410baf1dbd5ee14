/** Runs `rounds` chained SHA-256 rounds and returns the last digest. */
export function hashRounds(rounds: number): string;
/** Hash rounds per `cpuMs` milliseconds of this process's CPU time. */
export function calibrateHashRounds(cpuMs: number): number;
