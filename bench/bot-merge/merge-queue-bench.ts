/**
 * Measures the merge queue against the sandbox forge, with the real app (Probot, BullMQ on the
 * local Redis, real git). Not a test: it prints figures for bench/README.md.
 *
 *   npx tsx bench/bot-merge/merge-queue-bench.ts [--prs 20]
 *
 * 1. API requests per merged PR that needed no update (no strict protection,
 *    forceNeedUpToDate off);
 * 2. API requests per merged PR that needed a rebase (strict protection, CI on every head),
 *    with the latency from the last green CI report to the merge, and the number of rebases
 *    and CI runs per PR, for a queue of N PRs labelled at once.
 * Latencies start when the forge emits the event (the CI rule reporting the green check run, or
 * the label being added), seen through the forge's `onEvent`, so they count the webhook delivery
 * too and have a sample even when the bot saw CI green through the API before the webhook came.
 * Requests are counted per event by the merge queue itself (`merge`) and for the whole bot
 * (`all`, triage's config reads included).
 */
import type { QueuedEvent } from '../../bot/queue/queued-event.js';
import {
  createRepo,
  eventually,
  readyLabel,
  startBot,
} from '../../test/integration/bot/merge/merge-queue-kit.js';
import { startHarness } from '../../test/support/forge-harness.js';

const prsArg = process.argv.indexOf('--prs');
const queueLength = prsArg > 0 ? Number(process.argv[prsArg + 1]) : 20;

/** The few webhook fields the measurements read. */
interface WebhookFields {
  action?: string;
  number?: number;
  repository?: { name: string };
  sender?: { login: string };
  check_run?: { name: string; head_sha: string; conclusion?: string | null };
  label?: { name: string };
  pull_request?: { merged?: boolean };
}

/** An event as the forge emitted it (before delivery). */
interface Emitted {
  at: number;
  name: string;
  payload: WebhookFields;
}

interface Counts {
  merge: number;
  all: number;
}

const emitted: Emitted[] = [];
const h = await startHarness(['alice', 'bob'], {
  onEvent: (name, payload) => emitted.push({ at: performance.now(), name, payload }),
});
const counts: Counts = { merge: 0, all: 0 };
const received: { at: number; event: QueuedEvent }[] = [];
const mergeRequested = new Map<string, number>();
const bot = await startBot(h, {
  onEventRequests: (n) => {
    counts.merge += n;
  },
  onHandled: (_id, n) => {
    counts.all += n;
  },
  onEnqueue: (event) => received.push({ at: performance.now(), event }),
  onMergeRequested: ({ repo, number }) => mergeRequested.set(`${repo}#${number}`, performance.now()),
});

async function runScenario(name: string, prs: number, options: Parameters<typeof createRepo>[1]) {
  const repo = await createRepo(h, options);
  const numbers: number[] = [];
  for (let i = 0; i < prs; i++) numbers.push(await repo.openPullRequest(`bench-${i}`, `file-${i}.txt`));
  for (const number of numbers) await repo.approve(number);
  await bot.settled();
  const start = { ...counts };
  const from = received.length;
  const emittedFrom = emitted.length;
  for (const number of numbers) {
    await h.admin.rest.issues.addLabels({
      owner: repo.owner,
      repo: repo.name,
      issue_number: number,
      labels: [readyLabel],
    });
  }
  const pulls = await eventually(
    async () => {
      const all = await Promise.all(numbers.map((n) => repo.pull(n)));
      return all.every((p) => p.merged) ? all : undefined;
    },
    `${name}: every PR merged`,
    20 * 60_000,
  );
  await bot.settled();
  const events = received.slice(from);
  const payload = (e: QueuedEvent) => e.payload as WebhookFields;
  const isRepo = (e: QueuedEvent) => payload(e).repository?.name === repo.name;

  const forgeEvents = emitted.slice(emittedFrom).filter((e) => e.payload.repository?.name === repo.name);
  const latencies: number[] = [];
  const reportToRequest: number[] = [];
  const reportToMerged: number[] = [];
  const labelToMerged: number[] = [];
  const rebases: number[] = [];
  const ciRuns: number[] = [];
  for (const pr of pulls) {
    const closed = events.find(
      (r) =>
        isRepo(r.event) &&
        r.event.name === 'pull_request' &&
        payload(r.event).action === 'closed' &&
        payload(r.event).number === pr.number,
    );
    const green = events.filter(
      (r) =>
        isRepo(r.event) &&
        r.event.name === 'check_run' &&
        payload(r.event).action === 'completed' &&
        payload(r.event).check_run?.name === 'sandbox-ci' &&
        payload(r.event).check_run?.head_sha === pr.head.sha,
    );
    const lastGreen = green.at(-1);
    if (closed && lastGreen && closed.at > lastGreen.at) latencies.push(closed.at - lastGreen.at);
    const requested = mergeRequested.get(`${repo.full}#${pr.number}`);
    const merged = forgeEvents.find(
      (e) =>
        e.name === 'pull_request' &&
        e.payload.action === 'closed' &&
        e.payload.number === pr.number &&
        e.payload.pull_request?.merged === true,
    );
    // The CI rule's report: the forge emitting the green check run of the head that merged.
    const report = forgeEvents
      .filter(
        (e) =>
          e.name === 'check_run' &&
          e.payload.action === 'completed' &&
          e.payload.check_run?.name === 'sandbox-ci' &&
          e.payload.check_run.conclusion === 'success' &&
          e.payload.check_run.head_sha === pr.head.sha &&
          (!merged || e.at < merged.at),
      )
      .at(-1);
    if (report && requested && requested > report.at) reportToRequest.push(requested - report.at);
    if (report && merged) reportToMerged.push(merged.at - report.at);
    const labelled = forgeEvents.find(
      (e) =>
        e.name === 'pull_request' &&
        e.payload.action === 'labeled' &&
        e.payload.number === pr.number &&
        e.payload.label?.name === readyLabel,
    );
    if (labelled && merged) labelToMerged.push(merged.at - labelled.at);
    rebases.push(
      events.filter(
        (r) =>
          isRepo(r.event) &&
          r.event.name === 'pull_request' &&
          payload(r.event).action === 'synchronize' &&
          payload(r.event).number === pr.number &&
          String(payload(r.event).sender?.login).endsWith('[bot]'),
      ).length,
    );
    const { data } = await h.admin.rest.checks.listForRef({
      owner: repo.owner,
      repo: repo.name,
      ref: pr.head.sha,
    });
    ciRuns.push(
      data.check_runs.filter((run) => run.name === 'sandbox-ci' && run.conclusion === 'success').length,
    );
  }
  const merge = counts.merge - start.merge;
  const all = counts.all - start.all;
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round(
      sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN,
    );
  };
  const summary = (values: number[]) =>
    values.length > 0 ? { samples: values.length, p50: pct(values, 50), p90: pct(values, 90) } : null;
  return {
    scenario: name,
    prs,
    merged: pulls.filter((p) => p.merged).length,
    requestsPerPr: { merge: +(merge / prs).toFixed(1), all: +(all / prs).toFixed(1) },
    rebasesPerPr: { max: Math.max(...rebases), total: rebases.reduce((a, b) => a + b, 0) },
    greenCiRunsOnMergedHead: { min: Math.min(...ciRuns) },
    // From the CI rule reporting green on the head that merged (after the label; none when CI
    // was green before it) to the bot sending the merge request, and to the forge emitting
    // \`closed\` (its merge endpoint included).
    ciGreenToMergeRequestMs: summary(reportToRequest),
    ciGreenToMergedMs: summary(reportToMerged),
    // From the ready label being added to the forge emitting \`closed\`.
    labelToMergedMs: summary(labelToMerged),
    // From the green check_run webhook reaching the bot to the \`closed\` webhook reaching it.
    greenWebhookToMergedWebhookMs: summary(latencies),
  };
}

try {
  const noUpdate = await runScenario('no update needed', 5, {
    ci: true,
    merge: ['forceNeedUpToDate: false'],
  });
  console.log(JSON.stringify(noUpdate));
  const rebase = await runScenario(`queue of ${queueLength}, strict protection`, queueLength, {
    ci: true,
    strict: true,
  });
  console.log(JSON.stringify(rebase));
} finally {
  await bot.stop();
  await h.forge.close();
  await h.hooks.close();
}
