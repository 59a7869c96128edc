/**
 * .github/workflows/drawbridge.yml: its shape (affected estates -> one diff job each as a matrix ->
 * one summary comment), its permissions, and two of its scripts run here: the affected job's step
 * on a temporary repository (its outputs are what the matrix reads) and the summary's github-script
 * on fake results with a fake GitHub API. The workflow itself only runs on GitHub Actions.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CODE_FILES } from '../../bin/cli/affected';
import { ROOT } from '../support/estates';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
  shell?: string;
  'continue-on-error'?: boolean;
}
interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix?: unknown };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { pull_request: { paths: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const FILE = join(ROOT, '.github', 'workflows', 'drawbridge.yml');
const text = readFileSync(FILE, 'utf8');
const workflow = parse(text) as Workflow;
const { affected, diff, summary } = workflow.jobs as Record<'affected' | 'diff' | 'summary', Job>;
const needs = (job: Job) => (Array.isArray(job.needs) ? job.needs : job.needs ? [job.needs] : []);
const step = (job: Job, pattern: RegExp) => {
  const found = job.steps.filter((s) => pattern.test(s.uses ?? '') || pattern.test(s.run ?? ''));
  expect(found).toHaveLength(1);
  return found[0]!;
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the shape of the pull-request workflow', () => {
  test('GIVEN the triggers THEN every file that affects an estate starts the workflow', () => {
    const paths = workflow.on.pull_request.paths;
    expect(paths).toContain('estates/**');
    for (const file of CODE_FILES) expect(paths).toContain(file.endsWith('/') ? `${file}**` : file);
  });

  test('GIVEN the affected job THEN it reads the whole history and gives the matrix of drawbridge affected --json', () => {
    expect(step(affected, /^actions\/checkout@/).with).toMatchObject({ 'fetch-depth': 0 });
    const run = step(affected, /drawbridge\.js affected .*--json/);
    expect(run.run).toContain('node bin/drawbridge.js affected --base "origin/${BASE_REF}" --json');
    expect(run.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(affected.outputs).toMatchObject({ matrix: `\${{ steps.${run.id}.outputs.matrix }}`, count: `\${{ steps.${run.id}.outputs.count }}` });
  });

  test('GIVEN the diff job THEN it is a matrix from the affected job, one estate each, not failing fast, skipped when none', () => {
    expect(needs(diff)).toEqual(['affected']);
    expect(diff.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.affected.outputs.matrix) }}' });
    expect(diff.if).toBe("needs.affected.outputs.count != '0'");
    expect(diff.name).toBe('diff ${{ matrix.estate }}');
    expect(diff.env).toMatchObject({ ESTATE: '${{ matrix.estate }}', BASE: '${{ needs.affected.outputs.base }}' });
    expect(step(diff, /^actions\/checkout@/).with).toMatchObject({ 'fetch-depth': 0 });
    const review = step(diff, /drawbridge\.js diff/);
    expect(review.run).toContain('node bin/drawbridge.js check "$ESTATE"');
    expect(review.run).toMatch(/node bin\/drawbridge\.js diff "\$\{from\[@\]\}" --estate "\$ESTATE" --json/);
    const upload = step(diff, /^actions\/upload-artifact@/);
    expect(upload).toMatchObject({ if: 'always()', with: { name: 'drawbridge-${{ matrix.slug }}' } });
  });

  test('GIVEN the summary job THEN it always runs after the diffs, reads their artifacts and updates one comment', () => {
    expect(needs(summary)).toEqual(expect.arrayContaining(['diff', 'affected']));
    expect(summary.if).toMatch(/\balways\(\)/);
    const download = step(summary, /^actions\/download-artifact@/);
    expect(download.with).toMatchObject({ pattern: 'drawbridge-*' });
    const script = step(summary, /^actions\/github-script@/);
    expect(String(script.with!.script)).toContain("const marker = '<!-- drawbridge -->'");
    // One marker in the whole workflow: one comment, found again by it.
    expect(text.split('<!-- drawbridge').length - 1).toBe(1);
  });

  test('GIVEN the permissions THEN contents read everywhere, and pull-requests write only on the summary', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(summary.permissions).toEqual({ 'pull-requests': 'write', actions: 'read' });
    for (const [name, job] of Object.entries(workflow.jobs)) {
      if (name !== 'summary') expect(job.permissions).toBeUndefined();
    }
  });

  test('GIVEN every action used THEN it is one of the pinned major versions, on Node 20', () => {
    const allowed = ['actions/checkout@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4', 'actions/download-artifact@v4', 'actions/github-script@v7', 'pulumi/actions@v6'];
    for (const job of Object.values(workflow.jobs)) {
      for (const s of job.steps) {
        if (s.uses) expect(allowed).toContain(s.uses);
        if (s.uses === 'actions/setup-node@v4') expect(s.with).toMatchObject({ 'node-version': 20 });
      }
    }
  });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Drawbridge Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

describe("the affected job's step, run on a repository", () => {
  test('GIVEN a pull request changing one estate WHEN the step runs THEN its outputs are one-line JSON a matrix can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drawbridge-workflow-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'estates'));
    for (const e of ['default.yaml', 'makerepo.yaml']) copyFileSync(join(ROOT, 'estates', e), join(dir, 'estates', e));
    copyFileSync(join(ROOT, 'cdk.json'), join(dir, 'cdk.json'));
    writeFileSync(join(dir, '.gitignore'), 'bin\naffected.json\n');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    git(dir, 'checkout', '-q', '-b', 'pr');
    writeFileSync(join(dir, 'estates', 'makerepo.yaml'), readFileSync(join(dir, 'estates', 'makerepo.yaml'), 'utf8').replace('live: blue', 'live: green'));
    git(dir, 'commit', '-q', '-am', 'green');
    // `node bin/drawbridge.js` as in a checkout of this repository.
    symlinkSync(join(ROOT, 'bin'), join(dir, 'bin'));
    const output = join(dir, 'github-output');
    writeFileSync(output, '');
    const run = step(affected, /drawbridge\.js affected .*--json/);
    execFileSync('bash', ['-c', run.run!], { cwd: dir, env: { ...process.env, BASE_REF: 'main', GITHUB_OUTPUT: output }, encoding: 'utf8' });
    const lines = readFileSync(output, 'utf8').trimEnd().split('\n');
    const outputs = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(Object.keys(outputs).sort()).toEqual(['base', 'count', 'matrix', 'removed']);
    expect(JSON.parse(outputs.matrix!)).toEqual({ include: [{ estate: 'estates/makerepo.yaml', baseFile: 'estates/makerepo.yaml', why: 'changed', slug: 'estates_makerepo.yaml' }] });
    expect(outputs.count).toBe('1');
    expect(outputs.base).toBe(git(dir, 'rev-parse', 'main').trim());
    expect(JSON.parse(outputs.removed!)).toEqual([]);
  });
});

describe("the summary job's script, on fake results", () => {
  type Call = [string, Record<string, unknown>];

  async function runSummary(options: { comments: { id: number; body: string; user: { type: string } }[]; env: Record<string, string>; results: Record<string, Record<string, string>> }) {
    const dir = mkdtempSync(join(tmpdir(), 'drawbridge-summary-'));
    dirs.push(dir);
    for (const [artifact, files] of Object.entries(options.results)) {
      mkdirSync(join(dir, 'results', artifact), { recursive: true });
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'results', artifact, name), content);
    }
    const calls: Call[] = [];
    const api = {
      listJobsForWorkflowRunAttempt: () => undefined,
      listComments: () => undefined,
    };
    const github = {
      rest: {
        actions: { listJobsForWorkflowRunAttempt: api.listJobsForWorkflowRunAttempt },
        issues: {
          listComments: api.listComments,
          createComment: async (p: Record<string, unknown>) => void calls.push(['create', p]),
          updateComment: async (p: Record<string, unknown>) => void calls.push(['update', p]),
        },
      },
      paginate: async (fn: unknown) =>
        fn === api.listJobsForWorkflowRunAttempt ? [{ name: 'diff estates/shop.yaml', html_url: 'https://github.com/o/r/actions/runs/9/job/1' }] : options.comments,
    };
    let summary = '';
    const core = { summary: { addRaw: (s: string) => ((summary = s), core.summary), write: async () => undefined }, info: () => undefined, warning: () => undefined };
    const context = { repo: { owner: 'o', repo: 'r' }, payload: { pull_request: { number: 7 } }, runId: 9, serverUrl: 'https://github.com' };
    const script = String(step(workflow.jobs.summary!, /^actions\/github-script@/).with!.script);
    const saved = { ...process.env };
    const cwd = process.cwd();
    Object.assign(process.env, options.env);
    process.chdir(dir);
    try {
      const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
      await new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core);
    } finally {
      process.chdir(cwd);
      for (const k of Object.keys(options.env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    return { calls, summary };
  }

  const env = {
    AFFECTED: 'success',
    DIFF: 'failure',
    MATRIX: JSON.stringify({ include: [{ estate: 'estates/shop.yaml', why: 'changed', slug: 'estates_shop.yaml' }, { estate: 'estates/x.yaml', why: 'code changed (stacks/aws/app.ts)', slug: 'estates_x.yaml' }, { estate: 'estates/y.yaml', why: 'added', slug: 'estates_y.yaml' }] }),
    REMOVED: JSON.stringify(['estates/old.yaml']),
    BASE: 'a'.repeat(40),
    BASE_REF: 'main',
    HEAD_SHA: 'b'.repeat(40),
    SAME_REPO: 'true',
  };
  const resource = { id: 'R', type: 'AWS::ElasticLoadBalancingV2::TargetGroup', action: 'modify', replacement: false, properties: [] };
  const results = {
    'drawbridge-estates_shop.yaml': {
      'status.json': '{"check":0,"diff":0,"plan":0,"new":false}\n',
      'diff.json': JSON.stringify({ safe: true, engines: { aws: { resources: [resource, resource] }, cloudflare: { resources: [resource] } }, unsafe: [], disruptive: [] }),
      'diff.txt': 'Safe: 3 resources change in place\n',
      'plan.md': '# plan\n',
    },
    'drawbridge-estates_x.yaml': {
      'status.json': '{"check":0,"diff":3,"plan":0,"new":false}\n',
      'diff.json': JSON.stringify({ safe: false, engines: { aws: { resources: [{ ...resource, replacement: true }] }, cloudflare: { resources: [] } }, unsafe: [{ id: 'R' }], disruptive: [] }),
      'diff.txt': 'UNSAFE\n',
      'diff.err': 'drawbridge: unsafe: AWS (CDK) stack x: R is replaced\n',
      'plan.md': '# plan\n',
    },
  };

  test('GIVEN a safe, an unsafe, a failed and a removed estate WHEN summarizing THEN one table row each, and the marked comment is updated', async () => {
    const { calls, summary } = await runSummary({
      comments: [
        { id: 1, body: 'a person', user: { type: 'User' } },
        { id: 2, body: '<!-- drawbridge -->\nold', user: { type: 'Bot' } },
      ],
      env,
      results,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe('update');
    expect(calls[0]![1]).toMatchObject({ owner: 'o', repo: 'r', comment_id: 2 });
    const body = String(calls[0]![1].body);
    expect(body).toBe(summary);
    expect(body.startsWith('<!-- drawbridge -->\n')).toBe(true);
    expect(body).toContain('| estate | why | result | changes | job |');
    expect(body).toContain('| `estates/shop.yaml` | changed | ✅ safe | 3 | [job](https://github.com/o/r/actions/runs/9/job/1) |');
    expect(body).toContain('| `estates/x.yaml` | code changed (stacks/aws/app.ts) | ❌ **unsafe**: 1 replaced or removed | 1 | [job](https://github.com/o/r/actions/runs/9) |');
    expect(body).toContain('| `estates/y.yaml` | added | ⚠️ no result (the job stopped early) | — |');
    expect(body).toContain('| `estates/old.yaml` | removed | removed, not diffed | — | — |');
    expect(body).toContain('drawbridge: unsafe: AWS (CDK) stack x: R is replaced');
  });

  test('GIVEN no earlier comment and nothing affected WHEN summarizing THEN no comment is posted', async () => {
    const { calls } = await runSummary({ comments: [], env: { ...env, MATRIX: '{"include":[]}', REMOVED: '[]', DIFF: 'skipped' }, results: {} });
    expect(calls).toEqual([]);
  });

  test('GIVEN no earlier comment WHEN estates are affected THEN one comment is created', async () => {
    const { calls } = await runSummary({ comments: [{ id: 1, body: '<!-- other -->', user: { type: 'Bot' } }], env, results });
    expect(calls.map((c) => c[0])).toEqual(['create']);
    expect(calls[0]![1]).toMatchObject({ issue_number: 7 });
  });

  test('GIVEN a run cancelled by a newer push, or a fork, WHEN summarizing THEN no comment is touched', async () => {
    const existing = [{ id: 2, body: '<!-- drawbridge -->\nold', user: { type: 'Bot' } }];
    expect((await runSummary({ comments: existing, env: { ...env, DIFF: 'cancelled' }, results })).calls).toEqual([]);
    expect((await runSummary({ comments: existing, env: { ...env, SAME_REPO: 'false' }, results })).calls).toEqual([]);
  });
});
