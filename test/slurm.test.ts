// The cluster path, exercised: examples/slurm/submit.sh on a real single-node SLURM cluster
// (munge + slurmctld + slurmd started in a temporary directory by examples/slurm/local-cluster.sh)
// runs a 2-task `glassbox stats` job array over 3 training configurations, a test-shard task and
// the `glassbox fit --stats` merge; its --json equals `glassbox fit --train ... --test ...` run
// directly. Skipped with a message where SLURM is absent or the test is not root (daemons).
import { afterAll, describe, expect, it, vi } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'munged'].filter((c) => !have(c));
const isRoot = process.getuid?.() === 0;
const why = missing.length
  ? `SLURM/munge not installed (missing ${missing.join(', ')}; Debian: apt-get install -y slurm-wlm munge)`
  : !isRoot ? 'not root (the test starts slurmctld/slurmd/munged)'
  : !existsSync('/etc/munge/munge.key') ? '/etc/munge/munge.key absent (install munge)'
  : !existsSync(join(ROOT, 'dist/cli/glassbox.js')) ? 'dist/ not built (npm run build)' : null;
if (why) console.warn(`[slurm.test] SKIPPED: ${why}`);

describe.skipIf(why !== null)('SLURM job array: glassbox stats shards + fit --stats merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gbslurm-'));
  const cluster = join(dir, 'cluster');
  let env: NodeJS.ProcessEnv = {};
  afterAll(() => {
    spawnSync(join(ROOT, 'examples/slurm/local-cluster.sh'), ['stop', cluster]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the merged fit equals the single fit', async () => {
    execFileSync('mkdir', ['-p', cluster]);
    const started = execFileSync(join(ROOT, 'examples/slurm/local-cluster.sh'), ['start', cluster], { encoding: 'utf8' });
    const conf = /SLURM_CONF=(\S+)/.exec(started)![1];
    const cli = `${process.execPath} ${join(ROOT, 'dist/cli/glassbox.js')}`;
    env = { ...process.env, SLURM_CONF: conf, GLASSBOX: cli, FIT_OPTIONS: '--bootstrap 0 --model ridge' };
    const data = join(ROOT, 'data/ka3d-T0.44-mini');
    const train = [1, 2, 3].map((i) => join(data, `config${i}.npz`));
    const test = [join(data, 'config9.npz')];
    writeFileSync(join(dir, 'train.txt'), train.join('\n') + '\n');
    writeFileSync(join(dir, 'test.txt'), test.join('\n') + '\n');
    const out = join(dir, 'run');
    const opts = ['--preset', 'KA3D', '--structure', 'thermal'];
    const fitJob = execFileSync(join(ROOT, 'examples/slurm/submit.sh'), [join(dir, 'train.txt'), join(dir, 'test.txt'), out, '2', ...opts], { env, encoding: 'utf8' }).trim();
    expect(fitJob).toMatch(/^\d+$/);
    // wait for the queue to drain (the merge depends on every shard task)
    for (let k = 0; k < 600; k++) {
      const q = execFileSync('squeue', ['-h'], { env, encoding: 'utf8' }).trim();
      if (!q) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(existsSync(join(out, 'shards/shard-00000.npz')) && existsSync(join(out, 'shards/shard-00001.npz'))).toBe(true);
    const merged = JSON.parse(readFileSync(join(out, 'fit.json'), 'utf8'));
    const direct = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'dist/cli/glassbox.js'), 'fit', '--train', train.join(','), '--test', test.join(','), ...opts, '--bootstrap', '0', '--model', 'ridge', '--json'], { encoding: 'utf8' }));
    delete merged.timings;
    delete direct.timings;
    expect(merged).toEqual(direct);
    expect(existsSync(join(out, 'fit/model.json'))).toBe(true);
  }, 600_000);
});
