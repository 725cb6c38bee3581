#!/usr/bin/env node
// The `lmc` command. The sources are TypeScript run through tsx, so the package needs no build step
// for the server and CLI (the web app is built by Vite on first start).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
