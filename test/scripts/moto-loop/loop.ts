/**
 * The deploy loop on moto for one example estate (scripts/moto-loop.ts), as the tests in this folder
 * run it: the real moto_server, the real `cdk bootstrap` and `cdk deploy`, every managed property
 * read back through the AWS SDK.
 */
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { loadEstate } from '../../../modes/load';
import { loopWords, runLoop, type LoopReport } from '../../../scripts/moto-loop';
import { MOTO_UPDATE_GAPS } from '../../../scripts/moto/observe';
import { MOTO_MISSING, motoVersion, startMoto } from '../../../scripts/moto/server';
import { ESTATES_DIR } from '../../support/estates';

/** Whether something accepts TCP connections on host:port (bounded wait). */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
    socket.once('timeout', () => (socket.destroy(), done(false)));
  });
}

/** The machine's first non-loopback IPv4 address, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

export interface LoopExpectations {
  /** Gaps the estate must report (substrings of their `what`). */
  readonly gaps: readonly string[];
  /** The loop goes through a cutover and back. */
  readonly cutover: boolean;
}

export function describeLoop(file: string, expectations: LoopExpectations): void {
  const estateFile = join(ESTATES_DIR, file);
  const words = loopWords(loadEstate(estateFile)).words;

  describe(`the deploy loop on moto: ${file} (${words.join(' -> ')})`, () => {
    let report: LoopReport;
    let port = 0;
    let listeningOutside: boolean | undefined;
    let stoppedAccepts = true;

    beforeAll(async () => {
      if (!motoVersion()) throw new Error(MOTO_MISSING);
      const moto = await startMoto();
      port = moto.port;
      try {
        const outside = outsideAddress();
        if (outside) listeningOutside = await accepts(outside, port);
        report = await runLoop({ estateFile, moto });
      } finally {
        await moto.stop();
        stoppedAccepts = await accepts('127.0.0.1', port);
      }
    }, 900_000);

    test('the emulator listened on loopback only and is stopped after the loop', () => {
      expect(port).toBeGreaterThan(0);
      if (listeningOutside !== undefined) expect(listeningOutside).toBe(false);
      expect(stoppedAccepts).toBe(false);
    });

    test('every state of the loop deployed with the real cdk CLI, and every managed property was read back', () => {
      expect(report.steps.map((s) => s.word)).toEqual(words);
      expect(words[0]).toBe(words.at(-1));
      if (expectations.cutover) expect(words.some((w) => w.startsWith('cutover'))).toBe(true);
      for (const step of report.steps) {
        expect(Object.keys(step.expected).length).toBeGreaterThan(0);
        expect(Object.keys(step.observed).sort()).toEqual(Object.keys(step.expected).sort());
      }
    });

    test('the deployed properties are the desired ones in every state (what moto does not apply is in the deployed template and named)', () => {
      for (const step of report.steps) expect({ word: step.word, unexplained: step.unexplained }).toEqual({ word: step.word, unexplained: [] });
      // the maintenance deploy really changed something the SDK reads back
      const [start, next] = report.steps;
      const changed = Object.keys(next!.expected).filter((k) => JSON.stringify(next!.expected[k]) !== JSON.stringify(start!.expected[k]));
      expect(changed.length).toBeGreaterThan(0);
      const skipped = new Set(MOTO_UPDATE_GAPS.filter((g) => g.effect === 'skipped').map((g) => g.type));
      const appliedChanges = changed.filter((k) => !(skipped.has('AWS::ElasticLoadBalancingV2::TargetGroup') && k.startsWith('target-group ')));
      for (const k of appliedChanges) expect([k, next!.observed[k]]).toEqual([k, next!.expected[k]]);
    });

    test('back where it started: the same state, and every physical id unchanged (or changed by a named moto gap)', () => {
      const first = report.steps[0]!;
      const last = report.steps.at(-1)!;
      expect(last.observed).toEqual(first.observed);
      const changes = report.steps.flatMap((s) => s.physicalChanges);
      for (const c of changes) expect(MOTO_UPDATE_GAPS.some((g) => c.includes(` ${g.type}: `))).toBe(true);
      expect(Object.keys(report.physicalIds).length).toBeGreaterThan(0);
    });

    test('cdk diff against the deployed stacks names the same resources and properties as drawbridge diff', () => {
      expect(report.diff!.cdk.length).toBeGreaterThan(0);
      expect(report.diff!.cdk).toEqual(report.diff!.drawbridge);
      // on AWS the move is in place: what moto recreates (MOTO_UPDATE_GAPS) is not replaced there
      expect(report.diff!.safe).toBe(true);
    });

    test('what moto cannot deploy is named with the moto function that refuses it', () => {
      expect(report.gaps.length).toBe(expectations.gaps.length);
      for (const g of expectations.gaps) expect(report.gaps.some((x) => x.what.includes(g) && /moto\/\S+\.py \S+/.test(x.refusedBy))).toBe(true);
    });
  });
}
