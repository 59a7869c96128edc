#!/usr/bin/env node
// The `drawbridge` command (package.json "bin"): registers tsx so Node runs the TypeScript CLI as is.
'use strict';
require('tsx/cjs');
void require('./drawbridge.ts').main();
