/**
 * How fast the merge queue reacts, with the real app (Probot, BullMQ on the local Redis, real
 * git) against the sandbox forge, the sweep set to an hour so it cannot help. Not a test: it
 * prints figures for bench/README.md.
 *
 *   npx tsx bench/merge-queue/merge-timing-bench.ts [--prs 10]
 *
 * 1. CI green → merged: a PR ready but waiting for its CI (an outside check run, in progress);
 *    from the forge emitting that check run's green completion to the forge emitting the PR's
 *    `closed` (merged) event. One PR at a time, so each sample is one reaction.
 * 2. Retry due → re-evaluated: a PR whose CI failed waits out `retry.interval` (2 s) with its
 *    last retry spent; from the due time the bot wrote on its check run to the forge emitting the
 *    check run's next state ("A human is needed"). Nothing else happens on the forge meanwhile:
 *    only the delayed wake-up job can take that step. One PR at a time.
 * Times are taken where the forge emits events (its `onEvent`), in the one process that runs
 * forge and bot, so they include the webhook delivery.
 */
import { decodeMergeCheckState } from '../../bot/merge/merge-check-state.js';
import {
  createRepo,
  eventually,
  externalCi,
  mergeCheckOn,
  readyLabel,
  startBot,
} from '../../test/integration/bot/merge/merge-queue-kit.js';
import { startHarness } from '../../test/support/forge-harness.js';

const prsArg = process.argv.indexOf('--prs');
const count = prsArg > 0 ? Number(process.argv[prsArg + 1]) : 10;

interface Emitted {
  at: number;
  name: string;
  payload: {
    action?: string;
    number?: number;
    repository?: { name: string };
    pull_request?: { merged?: boolean };
    check_run?: {
      id: number;
      external_id?: string | null;
      name: string;
      head_sha: string;
      conclusion?: string | null;
      output?: { title?: string | null };
    };
  };
}

const emitted: Emitted[] = [];
const h = await startHarness(['alice', 'bob'], {
  // Wall-clock time, comparable with the ISO due times the bot writes.
  onEvent: (name, payload) => emitted.push({ at: Date.now(), name, payload: payload as Emitted['payload'] }),
});
const bot = await startBot(h, { sweepIntervalMs: 3_600_000 });

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
  return { samples: values.length, p50: pct(50), p90: pct(90), max: Math.round(sorted.at(-1)!) };
}

async function ciGreenToMerged(): Promise<number[]> {
  const repo = await createRepo(h);
  const ci = await externalCi(h);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const number = await repo.openPullRequest(`green-${i}`, `green-${i}.txt`);
    const head = (await repo.pull(number)).head.sha;
    await repo.approve(number);
    const run = await ci.start(repo, head);
    await repo.label(number, readyLabel);
    await eventually(async () => (await mergeCheckOn(h, repo, head))?.output.title === 'Waiting', 'Waiting');
    await bot.settled();
    await ci.finish(repo, run, 'success');
    await eventually(async () => (await repo.pull(number)).merged, `#${number} merged`);
    const green = emitted.find(
      (e) =>
        e.name === 'check_run' &&
        e.payload.check_run?.id === run &&
        e.payload.check_run.conclusion === 'success',
    );
    // The API shows the PR merged a moment before the forge emits \`closed\` (after the push events).
    const closed = await eventually(
      async () =>
        emitted.find(
          (e) =>
            e.name === 'pull_request' &&
            e.payload.action === 'closed' &&
            e.payload.repository?.name === repo.name &&
            e.payload.number === number,
        ),
      `#${number}'s closed event`,
    );
    if (green && closed) latencies.push(closed.at - green.at);
    else
      console.error(`no sample for #${number}: green ${green !== undefined}, closed ${closed !== undefined}`);
  }
  return latencies;
}

async function retryDueToReevaluated(): Promise<number[]> {
  // One retry, 2 s apart: the first failure labels `retry-1` and writes the due time; when it is
  // due, CI still fails and the PR goes to a human. That step is the re-evaluation measured.
  const repo = await createRepo(h, { merge: ['retry:', '  number: 1', '  interval: 2s'] });
  const ci = await externalCi(h);
  const prs: { number: number; head: string }[] = [];
  for (let i = 0; i < count; i++) {
    const number = await repo.openPullRequest(`red-${i}`, `red-${i}.txt`);
    const head = (await repo.pull(number)).head.sha;
    await repo.approve(number);
    await ci.report(repo, head, 'failure');
    prs.push({ number, head });
  }
  await h.forge.idle();
  await bot.settled();
  const latencies: number[] = [];
  // One PR at a time, as for the green CI: each sample is one wake-up, not a burst of them.
  for (const { number, head } of prs) {
    await repo.label(number, readyLabel);
    await eventually(
      async () => (await mergeCheckOn(h, repo, head))?.output.title === 'A human is needed',
      'the hand-over',
      120_000,
    );
    const ours = emitted.filter((e) => e.name === 'check_run' && e.payload.check_run?.head_sha === head);
    // The due time the bot wrote when it scheduled the retry, and its next state after it.
    const scheduled = ours.find((e) => decodeMergeCheckState(e.payload.check_run?.external_id ?? '').retryAt);
    const due = decodeMergeCheckState(scheduled?.payload.check_run?.external_id ?? '').retryAt;
    const next = ours.find((e) => e.payload.check_run?.output?.title === 'A human is needed');
    if (due && next) latencies.push(next.at - Date.parse(due));
    else console.error(`no sample for ${head.slice(0, 7)}: due ${due}, next ${next !== undefined}`);
  }
  return latencies;
}

try {
  const green = await ciGreenToMerged();
  console.log(JSON.stringify({ scenario: 'CI green → merged', ms: summary(green) }));
  const retries = await retryDueToReevaluated();
  console.log(
    JSON.stringify({ scenario: 'retry due → re-evaluated', ms: retries.length ? summary(retries) : null }),
  );
} finally {
  await bot.stop();
  await h.forge.close();
  await h.hooks.close();
}
