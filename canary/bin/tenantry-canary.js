#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader, so the CLI works right after
// `npm ci` without a build step of its own.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli.ts');
process.exitCode = await run(process.argv.slice(2));
