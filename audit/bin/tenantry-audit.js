#!/usr/bin/env node
// A checked-in, executable entry point: npm links bins at install time, before `prepare`
// has compiled dist/, so the bin cannot point into dist/ directly.
await import('../dist/cli.js');
