#!/usr/bin/env node
// The `drawbridge` command (package.json "bin"): bin/drawbridge.ts as bundled JavaScript (bin/compiled.js).
'use strict';
void require('./compiled').load('drawbridge').main();
