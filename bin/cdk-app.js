#!/usr/bin/env node
// The CDK app as cdk.json runs it: bin/cdk.ts as bundled JavaScript (bin/compiled.js).
'use strict';
void require('./compiled').load('cdk').main();
