/**
 * `drawbridge affected` and `drawbridge diff --affected` on temporary git repositories: which
 * estate files a change affects (the estate itself, every estate when code changed, none), the
 * base it is measured from (the merge base), the JSON a GitHub Actions matrix reads, and bad input.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { affectedEstates, isCodeFile, slug, worstExit, type FileChange } from '../../../bin/cli/affected';
import { enginesLoadedAfter } from '../../support/engines-loaded';
import { ROOT } from '../../support/estates';
import { cli } from '../io';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Drawbridge Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

/**
 * GIVEN a repository like this one, committed on main as the base: two estates, cdk.json naming
 * one, a file of the model (modes/x.ts), a README and a test.
 */
function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-affected-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'estates'));
  mkdirSync(join(dir, 'modes'));
  mkdirSync(join(dir, 'test'));
  copyFileSync(join(ROOT, 'estates', 'default.yaml'), join(dir, 'estates', 'default.yaml'));
  copyFileSync(join(ROOT, 'estates', 'makerepo.yaml'), join(dir, 'estates', 'makerepo.yaml'));
  copyFileSync(join(ROOT, 'cdk.json'), join(dir, 'cdk.json'));
  writeFileSync(join(dir, 'modes', 'x.ts'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'README.md'), '# an estate repository\n');
  writeFileSync(join(dir, 'test', 'x.test.ts'), "test('x', () => {});\n");
  writeFileSync(join(dir, '.gitignore'), 'estates/*.local.yaml\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

const edit = (dir: string, file: string, from: string, to: string) => {
  const text = readFileSync(join(dir, file), 'utf8');
  expect(text).toContain(from);
  writeFileSync(join(dir, file), text.replace(from, to));
};

async function affected(dir: string, ...argv: string[]) {
  return cli(['affected', ...argv], { cwd: dir });
}

interface AffectedJson {
  base: string;
  baseRef: string;
  estates: { file: string; why: string }[];
  removed: string[];
  matrix: { include: { estate: string; why: string; slug: string }[] };
}

describe('drawbridge affected: which estates a change affects', () => {
  test('GIVEN one estate edited (not committed) WHEN listing THEN only that estate, changed', async () => {
    const dir = repository();
    edit(dir, 'estates/default.yaml', 'deregistrationDelaySeconds: 60', 'deregistrationDelaySeconds: 30');
    const r = await affected(dir);
    expect(r).toEqual({ code: 0, out: 'estates/default.yaml: changed\n', err: '' });
  });

  test('GIVEN one estate edited and committed on a branch WHEN listing against main THEN only that estate', async () => {
    const dir = repository();
    git(dir, 'checkout', '-q', '-b', 'change');
    edit(dir, 'estates/makerepo.yaml', 'live: blue', 'live: green');
    git(dir, 'commit', '-q', '-am', 'green');
    const r = await affected(dir, '--base', 'main');
    expect(r).toEqual({ code: 0, out: 'estates/makerepo.yaml: changed\n', err: '' });
  });

  test('GIVEN a new estate file, untracked or committed WHEN listing THEN it is added', async () => {
    const dir = repository();
    copyFileSync(join(ROOT, 'estates', 'rolling.yaml'), join(dir, 'estates', 'rolling.yaml'));
    expect((await affected(dir)).out).toBe('estates/rolling.yaml: added\n');
    git(dir, 'add', 'estates/rolling.yaml');
    git(dir, 'commit', '-q', '-m', 'rolling');
    expect((await affected(dir, '--base', 'HEAD~1')).out).toBe('estates/rolling.yaml: added\n');
  });

  test('GIVEN an estate file ignored by git, or a file that is no estate, WHEN listing THEN neither is affected', async () => {
    const dir = repository();
    copyFileSync(join(ROOT, 'estates', 'rolling.yaml'), join(dir, 'estates', 'mine.local.yaml'));
    writeFileSync(join(dir, 'estates', 'notes.txt'), 'not an estate\n');
    const r = await affected(dir);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  test('GIVEN a deleted estate WHEN listing THEN it is reported as removed and nothing is diffed', async () => {
    const dir = repository();
    rmSync(join(dir, 'estates', 'makerepo.yaml'));
    const r = await affected(dir);
    expect(r).toEqual({ code: 0, out: 'estates/makerepo.yaml: removed (not diffed)\n', err: '' });
    const json = JSON.parse((await affected(dir, '--json')).out) as AffectedJson;
    expect(json.estates).toEqual([]);
    expect(json.removed).toEqual(['estates/makerepo.yaml']);
    expect(json.matrix).toEqual({ include: [] });
  });

  test('GIVEN a renamed estate WHEN listing THEN the new file is affected, renamed from the old one, which is not listed as removed', async () => {
    const dir = repository();
    git(dir, 'mv', 'estates/makerepo.yaml', 'estates/repo.yaml');
    git(dir, 'commit', '-q', '-m', 'rename');
    const r = await affected(dir, '--base', 'HEAD~1');
    expect(r.out).toBe('estates/repo.yaml: renamed from estates/makerepo.yaml\n');
    const json = JSON.parse((await affected(dir, '--base', 'HEAD~1', '--json')).out) as AffectedJson;
    expect(json.estates).toEqual([{ file: 'estates/repo.yaml', why: 'renamed from estates/makerepo.yaml', from: 'estates/makerepo.yaml' }]);
    expect(json.removed).toEqual([]);
  });

  test('GIVEN a run from a subdirectory WHEN listing THEN it says to run it from the top level, exit 2, instead of finding nothing', async () => {
    const dir = repository();
    edit(dir, 'estates/default.yaml', 'deregistrationDelaySeconds: 60', 'deregistrationDelaySeconds: 30');
    const r = await affected(join(dir, 'estates'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`drawbridge: ${join(dir, 'estates')} is estates/ inside the repository; run this from its top level (cd ${dir}), where cdk.json and estates/ are\n`);
    expect(r.out).toBe('');
  });

  test('GIVEN a change to the model (modes/x.ts) WHEN listing THEN every estate is affected, naming the file', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'modes', 'x.ts'), 'export const x = 2;\n');
    const r = await affected(dir);
    expect(r).toEqual({ code: 0, out: 'estates/default.yaml: code changed (modes/x.ts)\nestates/makerepo.yaml: code changed (modes/x.ts)\n', err: '' });
  });

  test('GIVEN an estate and the code changed WHEN listing THEN the estate says both, and a new estate is affected once', async () => {
    const dir = repository();
    edit(dir, 'estates/default.yaml', 'deregistrationDelaySeconds: 60', 'deregistrationDelaySeconds: 30');
    writeFileSync(join(dir, 'cdk.json'), readFileSync(join(dir, 'cdk.json'), 'utf8').replace('}\n}', '},\n  "x": 1\n}'));
    copyFileSync(join(ROOT, 'estates', 'rolling.yaml'), join(dir, 'estates', 'rolling.yaml'));
    const r = await affected(dir);
    expect(r.out).toBe(
      ['estates/default.yaml: changed; code changed (cdk.json)', 'estates/makerepo.yaml: code changed (cdk.json)', 'estates/rolling.yaml: added; code changed (cdk.json)', ''].join('\n'),
    );
  });

  test.each(['README.md', 'test/x.test.ts', 'docs/notes.md', '.github/workflows/ci.yml'])('GIVEN only %s changed WHEN listing THEN no estate is affected', async (file) => {
    const dir = repository();
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), 'changed\n');
    git(dir, 'add', '-A');
    const r = await affected(dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^drawbridge: no estate is affected since [0-9a-f]{7} \(the merge base with main\)\n$/);
    expect((JSON.parse((await affected(dir, '--json')).out) as AffectedJson).matrix).toEqual({ include: [] });
  });

  test('GIVEN main moved on after the branch was made WHEN listing THEN only the branch\'s own changes count (the merge base)', async () => {
    const dir = repository();
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    git(dir, 'checkout', '-q', '-b', 'change');
    edit(dir, 'estates/makerepo.yaml', 'live: blue', 'live: green');
    git(dir, 'commit', '-q', '-am', 'branch');
    git(dir, 'checkout', '-q', 'main');
    edit(dir, 'estates/default.yaml', 'deregistrationDelaySeconds: 60', 'deregistrationDelaySeconds: 30');
    git(dir, 'commit', '-q', '-am', 'main moves on');
    git(dir, 'checkout', '-q', 'change');
    const json = JSON.parse((await affected(dir, '--json')).out) as AffectedJson;
    expect(json.base).toBe(base);
    expect(json.estates).toEqual([{ file: 'estates/makerepo.yaml', why: 'changed' }]);
  });

  test('GIVEN origin/main and main WHEN no --base is given THEN origin/main is the base', async () => {
    const dir = repository();
    edit(dir, 'estates/makerepo.yaml', 'live: blue', 'live: green');
    git(dir, 'commit', '-q', '-am', 'local main moves on');
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD~1');
    const json = JSON.parse((await affected(dir, '--json')).out) as AffectedJson;
    expect(json.baseRef).toBe('origin/main');
    expect(json.estates).toEqual([{ file: 'estates/makerepo.yaml', why: 'changed' }]);
  });

  test('GIVEN --json WHEN listing THEN the matrix is the estates, one include each, for fromJSON in a workflow', async () => {
    const dir = repository();
    edit(dir, 'estates/default.yaml', 'deregistrationDelaySeconds: 60', 'deregistrationDelaySeconds: 30');
    const r = await affected(dir, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as AffectedJson;
    expect(json.base).toBe(git(dir, 'rev-parse', 'HEAD').trim());
    expect(json).toEqual({
      base: expect.stringMatching(/^[0-9a-f]{40}$/),
      baseRef: 'main',
      estates: [{ file: 'estates/default.yaml', why: 'changed' }],
      removed: [],
      matrix: { include: [{ estate: 'estates/default.yaml', baseFile: 'estates/default.yaml', why: 'changed', slug: 'estates_default.yaml' }] },
    });
  });

  test('GIVEN an estate outside estates/ named by cdk.json WHEN it changes THEN it is one of the estates', async () => {
    const dir = repository();
    mkdirSync(join(dir, 'config'));
    renameSync(join(dir, 'estates', 'default.yaml'), join(dir, 'config', 'shop.yaml'));
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'node bin/cdk-app.js', context: { estate: 'config/shop.yaml' } }));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'move');
    edit(dir, 'config/shop.yaml', 'deregistrationDelaySeconds: 60', 'deregistrationDelaySeconds: 30');
    expect((await affected(dir, '--base', 'HEAD')).out).toBe('config/shop.yaml: changed\n');
  });
});

describe('drawbridge affected: bad input, one line', () => {
  test.each([['nope'], ['-x'], ['0000000000000000000000000000000000000000'], ['HEAD~5']])('GIVEN --base %s (not a commit) THEN exit 2 naming it', async (base) => {
    const dir = repository();
    const r = await affected(dir, `--base=${base}`);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`drawbridge: --base ${base} is not a commit in this repository; give a branch, tag or commit (e.g. --base origin/main); see \`drawbridge affected --help\`\n`);
  });

  test('GIVEN diff --affected --base nope THEN the same message, pointing at diff', async () => {
    const r = await cli(['diff', '--affected', '--base', 'nope'], { cwd: repository() });
    expect(r.code).toBe(2);
    expect(r.err).toBe('drawbridge: --base nope is not a commit in this repository; give a branch, tag or commit (e.g. --base origin/main); see `drawbridge diff --help`\n');
  });

  test('GIVEN a directory outside any git repository THEN exit 2 with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drawbridge-not-git-'));
    dirs.push(dir);
    const r = await cli(['affected', '--base', 'main'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
    expect(r.code).toBe(2);
    expect(r.err).toBe(`drawbridge: ${dir} is not in a git working tree; affected estates are what changed since a base commit, so run this in a clone of the repository\n`);
  });

  test('GIVEN no --base and neither origin/main nor main THEN exit 2 saying to give one', async () => {
    const dir = repository();
    git(dir, 'branch', '-q', '-m', 'main', 'trunk');
    const r = await affected(dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe('drawbridge: no --base given, and neither origin/main nor main is a commit in this repository; give the base with --base REF; see `drawbridge affected --help`\n');
  });

  test('GIVEN a base with no history in common THEN exit 2 saying so', async () => {
    const dir = repository();
    git(dir, 'checkout', '-q', '--orphan', 'other');
    git(dir, 'commit', '-q', '-m', 'unrelated');
    const r = await affected(dir, '--base', 'main');
    expect(r.code).toBe(2);
    expect(r.err).toBe('drawbridge: --base main and HEAD share no history; give a base this branch was made from; see `drawbridge affected --help`\n');
  });

  test.each<[string[], string]>([
    [['affected', 'estates/x.yaml'], 'drawbridge: affected takes no arguments, got estates/x.yaml; give the base with --base REF; see `drawbridge affected --help`\n'],
    [['affected', '--base='], 'drawbridge: option --base is empty; give a branch, tag or commit (--base REF), or leave it out for origin/main, else main; see `drawbridge affected --help`\n'],
    [['affected', '--estate', 'x.yaml'], 'drawbridge: option --estate does not apply to affected; affected takes --base, --json, --no-color, --color, --help; see `drawbridge affected --help`\n'],
    [['diff', '--base', 'main'], 'drawbridge: option --base applies to diff --affected only; add --affected, or leave --base out; see `drawbridge diff --help`\n'],
    [['diff', '--affected', '--estate', 'estates/default.yaml'], 'drawbridge: option --estate does not apply to diff --affected, which diffs every estate the change affects from its base version; leave it out, or drop --affected; see `drawbridge diff --help`\n'],
    [['diff', '--affected', '--from-estate', 'b.yaml'], 'drawbridge: option --from-estate does not apply to diff --affected, which diffs every estate the change affects from its base version; leave it out, or drop --affected; see `drawbridge diff --help`\n'],
  ])('GIVEN %j THEN a usage error (exit 2): %s', async (argv, err) => {
    const r = await cli(argv, { cwd: repository() });
    expect(r).toEqual({ code: 2, out: '', err });
  });

  test('GIVEN affected --help THEN it says how estates are found and what affects them', async () => {
    const r = await cli(['affected', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^drawbridge affected \[--base REF\] \[--json\]/);
    expect(r.out).toContain('estates/*.yaml');
    expect(r.out).toContain('fromJSON(needs.affected.outputs.matrix)');
  });

  test('GIVEN affected WHEN run THEN no engine package is loaded', () => {
    const code = `const io = { stdout: { write() {} }, stderr: { write(s) { process.stderr.write(s); } }, env: {}, cwd: process.cwd() };
      const code = await require('./bin/drawbridge.ts').run(['affected', '--base', 'HEAD', '--json'], io);
      if (code !== 0) throw new Error('exit ' + code);`;
    expect(enginesLoadedAfter(code)).toEqual([]);
  });
});

describe('the pure parts', () => {
  const estates = ['estates/a.yaml', 'estates/b.yaml'];
  const isEstate = (f: string) => /^estates\/[^/]+\.ya?ml$/.test(f);

  test.each<[string, FileChange[], { estates: { file: string; why: string }[]; removed: string[] }]>([
    ['nothing', [], { estates: [], removed: [] }],
    ['one estate', [{ file: 'estates/a.yaml', kind: 'changed' }], { estates: [{ file: 'estates/a.yaml', why: 'changed' }], removed: [] }],
    ['a docs file', [{ file: 'docs/x.md', kind: 'changed' }], { estates: [], removed: [] }],
    [
      'four code files',
      ['stacks/b.ts', 'modes/a.ts', 'package.json', 'Pulumi.production.yaml'].map((file) => ({ file, kind: 'changed' as const })),
      {
        estates: estates.map((file) => ({ file, why: 'code changed (Pulumi.production.yaml, modes/a.ts, package.json and 1 more)' })),
        removed: [],
      },
    ],
    [
      'a removed estate and code',
      [
        { file: 'estates/c.yaml', kind: 'removed' },
        { file: 'edge/gate.ts', kind: 'changed' },
      ],
      { estates: estates.map((file) => ({ file, why: 'code changed (edge/gate.ts)' })), removed: ['estates/c.yaml'] },
    ],
  ])('GIVEN %s THEN the affected estates', (_name, changes, expected) => {
    expect(affectedEstates(changes, estates, isEstate)).toEqual(expected);
  });

  test.each([
    ['modes/x.ts', true],
    ['stacks/aws/app.ts', true],
    ['edge/gate.ts', true],
    ['bin/cli/diff.ts', true],
    ['schema/estate.schema.json', true],
    ['scripts/build-edge.ts', true],
    ['package.json', true],
    ['package-lock.json', true],
    ['cdk.json', true],
    ['tsconfig.json', true],
    ['Pulumi.yaml', true],
    ['Pulumi.production.yaml', true],
    ['README.md', false],
    ['test/modes/x.test.ts', false],
    ['scripts/screenshots.ts', false],
    ['.github/workflows/drawbridge.yml', false],
    ['docs/modes/x.md', false],
    ['estates/x.yaml', false],
  ])('GIVEN %s THEN it affects every estate: %s', (file, code) => {
    expect(isCodeFile(file)).toBe(code);
  });

  test.each<[number[], number]>([
    [[], 0],
    [[0, 0], 0],
    [[0, 1, 0], 1],
    [[1, 3, 0], 3],
    [[3, 2, 1], 3],
    [[3, 70], 70],
  ])('GIVEN exit codes %j THEN the worst is %d', (codes, worst) => {
    expect(worstExit(codes)).toBe(worst);
  });

  test('GIVEN a path THEN its slug has no slash', () => {
    expect(slug('estates/shop.yaml')).toBe('estates_shop.yaml');
  });
});

describe('drawbridge diff --affected', () => {
  interface DiffAffectedJson {
    base: string;
    safe: boolean;
    exitCode: number;
    estates: { file: string; why: string; new: boolean; exitCode: number; diff: { fromEstateFile: string; safe: boolean; engines: { aws: { resources: { type: string; action: string }[] } } } }[];
    removed: string[];
  }

  test('GIVEN only the README changed WHEN diffing the affected estates THEN nothing is diffed, exit 0', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'README.md'), 'changed\n');
    const r = await cli(['diff', '--affected'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^drawbridge: no estate is affected since [0-9a-f]{7} \(the merge base with main\); nothing to diff\n$/);
  });

  test('GIVEN only a removed estate WHEN diffing the affected estates THEN it is listed as removed, not diffed', async () => {
    const dir = repository();
    rmSync(join(dir, 'estates', 'makerepo.yaml'));
    const r = await cli(['diff', '--affected', '--no-color'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^drawbridge diff --affected: since [0-9a-f]{7} \(main\)\n  estates\/makerepo.yaml: removed, not diffed\n$/);
    const json = JSON.parse((await cli(['diff', '--affected', '--json'], { cwd: dir })).out) as { estates: unknown[]; removed: string[]; safe: boolean };
    expect(json).toMatchObject({ estates: [], removed: ['estates/makerepo.yaml'], safe: true });
  });

  test('GIVEN two estates of which one changed WHEN diffing the affected ones THEN only that one is diffed, from its base version', async () => {
    const dir = repository();
    edit(dir, 'estates/default.yaml', 'deregistrationDelaySeconds: 60', 'deregistrationDelaySeconds: 30');
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    const r = await cli(['diff', '--affected', '--json', '--quiet'], { cwd: dir });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as DiffAffectedJson;
    expect(json).toMatchObject({ base, safe: true, exitCode: 0, removed: [] });
    expect(json.estates.map((e) => [e.file, e.why, e.new, e.exitCode])).toEqual([['estates/default.yaml', 'changed', false, 0]]);
    const diff = json.estates[0]!.diff;
    // The base side is the file at the merge base (git's BASE:FILE), the other the working tree's.
    expect(diff.fromEstateFile).toBe(`${base.slice(0, 7)}:estates/default.yaml`);
    // The edit: the first target group's deregistration delay (api-blue), in place.
    expect(diff.engines.aws.resources).toEqual([expect.objectContaining({ type: 'AWS::ElasticLoadBalancingV2::TargetGroup', action: 'modify' })]);
  }, 180_000);
});
