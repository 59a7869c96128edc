/**
 * The CLI's help texts: `drawbridge --help` and one per command. Every option line here is one the
 * argument parser (args.ts) accepts for that command.
 */

const MODE_HELP = `Mode words (FROM and TO):
  normal[@COLOUR]                 normal; COLOUR is blue or green (the live colour)
  maintenance[@COLOUR]            the gate answers 503 with the maintenance page
  maintenance:hard-down[@COLOUR]  maintenance with site records on the static down page
  cutover@LIVE->TARGET            blue/green cutover, e.g. 'cutover@blue->green' (quote it:
                                  '>' is a shell redirection) or cutover@blue..green
  cutover                         cutover from the live colour to the other one
  committed                       the state committed in the estate file (state:)
  A word without @COLOUR uses the estate's live colour for FROM, and for TO the colour that
  serves customers in FROM (so after cutover@blue->green, \`normal\` means normal@green).
  FROM defaults to \`committed\`; with no words at all both are \`committed\` (see --from-estate).

  A blue/green cycle, one word pair per step:
    normal@blue -> cutover@blue->green -> normal@green
    fail-back:     cutover@blue->green -> normal@blue`;

const ESTATE_OPTION = `  --estate FILE        estate file (default: the estate cdk.json names as context.estate)`;
const TAIL_OPTIONS = `  --no-color           no colours (also: NO_COLOR=1; colours are only used on a terminal)
  -h, --help           this help`;
/** Options of the commands that take a move (diff, plan). */
const COMMON_OPTIONS = `${ESTATE_OPTION}
  --from-estate FILE   the estate as it is before the move, e.g. a pull request's base
                       (default: --estate); FROM is read from it
${TAIL_OPTIONS}`;

/** Help texts by topic: the main one and one per command. */
export const HELP = {
  main: `drawbridge: check an estate, see what a mode change does, and get its runbook.

Usage:
  drawbridge check [FILE...] [--estate FILE]
  drawbridge diff [FROM] TO [--estate FILE] [--json]
  drawbridge diff --affected [--base REF] [--json]
  drawbridge plan [FROM] TO [--estate FILE] [--format md|json]
  drawbridge statuspage STEP [--estate FILE] [--incident ID] [--dry-run]
  drawbridge affected [--base REF] [--json]
  drawbridge help [COMMAND]

Commands:
  check   validate estate files; every problem is listed with its place in the file
  diff    synthesize both mode states offline and show what changes on AWS (CDK) and
          Cloudflare (Pulumi); exit 3 when a resource would be replaced or removed
  plan    the ordered runbook of the move (deploys, declared manual steps, checks,
          timings, outage window, rollback) as Markdown or JSON
  statuspage
          send one status page update of the plan to Atlassian Statuspage (the one
          command that goes online; the key is read from the environment)
  affected
          the estate files a change affects (since the merge base with REF): each one
          changed or added, or every estate when code they are rendered with changed

${MODE_HELP}

Exit codes: 0 done (diff: safe), 1 invalid estate or a move the estate does not allow,
2 usage error, 3 diff: unsafe move.

Examples:
  npx drawbridge check estates/*.yaml
  npx drawbridge diff normal maintenance
  npx drawbridge plan normal maintenance --estate estates/ticketing.yaml
  npx drawbridge plan normal@blue 'cutover@blue->green' --estate estates/beanstalk.yaml`,
  check: `drawbridge check [FILE...] [--estate FILE]

Validates estate files: the schema, references between ids, and every mode state the estate
supports (each must resolve without breaking an invariant). Every problem is printed as
FILE:LINE: PATH: what is wrong; what is allowed.

A committed maintenance or cutover whose window has ended is reported, as \`cdk synth\` and
Pulumi would refuse it.

Warnings (valid, but probably not what you want, e.g. a window longer than two days that
answers 503 throughout) are printed on stderr as \`drawbridge: warning: FILE:LINE: PATH: ...\`
and keep exit 0.

Exit codes: 0 every file is valid, 1 a file is invalid or missing, 2 usage error.

Options:
${ESTATE_OPTION}
${TAIL_OPTIONS}

Examples:
  npx drawbridge check
  npx drawbridge check estates/*.yaml`,
  diff: `drawbridge diff [FROM] TO [--estate FILE] [--from-estate FILE] [--json]

Synthesizes both mode states in one process, offline (no AWS or Cloudflare account), and prints
for every CDK stack the difference as \`cdk diff\` prints it, and for the Pulumi program the
resource inputs before and after, per URN. Secret values are masked. cdk-nag runs on both
syntheses; aws-cdk-lib's built-in template validation is skipped for speed unless CDK_VALIDATION
is set (\`cdk synth\` and \`cdk deploy\` run it in full). Each synthesis is cached in
node_modules/.cache/drawbridge/diff (DRAWBRIDGE_CACHE_DIR moves it), keyed by the content of the
estate, the mode state, the code and the engines' environment; DRAWBRIDGE_CACHE=off or --no-cache
turns it off.

Exit codes: 0 the move is safe (everything changes in place), 3 a resource would be replaced or
removed (each is named on stderr), 1 invalid estate or mode state, 2 usage error.

Options:
      --json           one JSON object: per engine, each changed resource with id, type,
                       action (add|modify|remove), replacement and the changed properties
      --quiet          no progress lines on stderr
      --no-cache       synthesize everything again, and store nothing
      --affected       diff every estate \`drawbridge affected\` lists instead of one: each from
                       its file at the base (a new estate: its committed state) to the working
                       tree, in parallel, each under a header; the exit code is the worst one
      --base REF       with --affected: compare with the merge base of REF (default:
                       origin/main, else main)
${COMMON_OPTIONS}

${MODE_HELP}

Examples:
  npx drawbridge diff normal maintenance
  npx drawbridge diff normal maintenance --json
  npx drawbridge diff --from-estate base/estates/default.yaml --estate estates/default.yaml
  npx drawbridge diff --affected --base origin/main`,
  plan: `drawbridge plan [FROM] TO [--estate FILE] [--from-estate FILE] [--format md|json]

Prints the runbook of the move, generated from the estate: phases (days before, day before,
minutes before, start, end, after); each step a deploy (engine, exact command, what it changes)
or a manual step the estate declares (runbook:), each with a check and an estimated duration;
the outage window; a Mermaid gantt chart; and the rollback (the way back, in reverse order).
Entering maintenance puts the page up (Cloudflare) before anything is stopped (AWS); leaving
brings the origin back before the page comes down.

Exit codes: 0 done, 1 invalid estate or mode state (a TO other than normal whose window has
ended is refused, as \`cdk synth\` and Pulumi refuse it), 2 usage error.

Options:
      --format md|json  Markdown (default) or JSON; --json is short for --format json
      --stack NAME      Pulumi stack in the commands (default: for the estate cdk.json names,
                        the only Pulumi.<stack>.yaml, else the estate's name; for any other
                        estate, the estate's name). For an estate other than cdk.json's, every
                        \`pulumi up\` also passes --config drawbridge:estate=FILE
${COMMON_OPTIONS}

${MODE_HELP}

Examples:
  npx drawbridge plan normal maintenance --estate estates/ticketing.yaml
  npx drawbridge plan maintenance normal
  npx drawbridge plan 'cutover@blue->green' normal@blue --estate estates/beanstalk.yaml --format json`,
  statuspage: `drawbridge statuspage STEP [--estate FILE] [--incident ID] [--dry-run]

Sends one update of the estate's status page (statusPage: an Atlassian Statuspage page) at its
step of the plan; \`drawbridge plan\` prints each request exactly. Steps:
  scheduled     create the scheduled maintenance for the window (nothing is sent when it exists)
  in-progress   In progress, the components Under maintenance (the page goes up)
  verifying     Verifying (staff test behind the page, before the public is let back)
  completed     Completed, the components Operational (the site is back)
  called-off    Completed, saying the maintenance was stopped (a rollback or a fail-back)
  show          print the maintenance's status

The maintenance is found by its name (statusPage.name, default the window's reason) and the
window's start, with one GET of the page's incidents; --incident ID names it instead. A step
whose status the maintenance has already sends nothing. The API key is read from the variable
statusPage.apiKeyEnv names (default STATUSPAGE_API_KEY) and is never printed.

Exit codes: 0 done (or nothing to do), 1 the estate has no status page or window, the key is not
set, or Statuspage refused or did not answer (one line; nothing is sent after it), 2 usage error.

Options:
      --incident ID    the maintenance's id (12 letters and digits), instead of finding it by name
      --dry-run        print the requests, the key as [secret]; send nothing
${ESTATE_OPTION}
${TAIL_OPTIONS}

Examples:
  STATUSPAGE_API_KEY=... npx drawbridge statuspage scheduled --estate estates/ticketing.yaml
  npx drawbridge statuspage in-progress --estate estates/ticketing.yaml --dry-run`,
  affected: `drawbridge affected [--base REF] [--json]

Lists the estate files a change affects: what changed between the merge base of REF and the
working tree (committed, staged or not, and new files under estates/ that git does not ignore).
The estates are estates/*.yaml (and *.yml) and the one cdk.json names. An estate file changed or
added is affected; a file every estate is synthesized or rendered with (modes/, stacks/, edge/,
bin/, schema/, scripts/build-edge.ts, package.json, package-lock.json, cdk.json, Pulumi*.yaml,
tsconfig.json) affects every estate; anything else (README, test/, docs, .github/) none. A deleted
estate file is listed as removed, not as affected. Text: one line per estate file and why.

Exit codes: 0 done (also when nothing is affected), 2 usage error: REF is not a commit, the
directory is not in a git repository, or REF and HEAD share no history.

Options:
      --base REF       compare with the merge base of REF and HEAD (default: origin/main if it
                       exists, else main)
      --json           one JSON object: base (the merge base's sha), estates (file and why),
                       removed, and matrix ({"include":[{"estate":FILE,...}]}, for a GitHub
                       Actions matrix: \`fromJSON(needs.affected.outputs.matrix)\`)
${TAIL_OPTIONS}

Examples:
  npx drawbridge affected
  npx drawbridge affected --base origin/release --json
  npx drawbridge diff --affected`,
} as const;

export type HelpTopic = keyof typeof HELP;
