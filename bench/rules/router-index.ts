/**
 * Micro-benchmark of RouterIndex.find(): lookups per second with 1 host router versus 10,000
 * host routers on one entryPoint, and their ratio (the target is >= 0.90). Not a test.
 * BENCH_SECONDS (per run, default 1) and BENCH_ROUNDS (default 3) tune the duration.
 *
 *   npx tsx bench/rules/router-index.ts
 */
import { compileRule } from '../../proxy/rules/compile-rule.js';
import type { RequestFacts } from '../../proxy/rules/request-facts.js';
import { defaultRulePriority, type IndexedRoute, RouterIndex } from '../../proxy/rules/router-index.js';

function hostRoutes(count: number): IndexedRoute<number>[] {
  return Array.from({ length: count }, (_, i) => {
    const rule = `Host(\`app${i}.example.com\`) && PathPrefix(\`/\`)`;
    return {
      name: `router${i}@file`,
      rule: compileRule(rule),
      priority: defaultRulePriority(rule),
      target: i,
    };
  });
}

/**
 * A fixed rotation of requests, built up front so the loop measures find() only. Each one gets
 * its own string objects, as a server parsing real requests would produce.
 */
function requests(count: number, hosts: number): RequestFacts[] {
  return Array.from({ length: count }, (_, i) => {
    const host = `app${(i * 7919) % hosts}.example.com:8080`;
    return {
      host,
      path: `/api/items/${i}`,
      method: 'GET',
      headers: { host },
      query: new URLSearchParams(),
      remoteAddress: '127.0.0.1',
    };
  });
}

function measure(index: RouterIndex<number>, batch: RequestFacts[], seconds: number): number {
  let found = 0;
  // Warm up so the JIT has settled before timing.
  for (let i = 0; i < 200_000; i++) if (index.find(batch[i % batch.length]!)) found++;
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 10_000; i++) if (index.find(batch[(done + i) % batch.length]!)) found++;
    done += 10_000;
  }
  const rate = done / ((performance.now() - start) / 1000);
  if (found === 0) throw new Error('no request matched; the benchmark is broken');
  return rate;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 1);
const one = new RouterIndex(hostRoutes(1));
const many = new RouterIndex(hostRoutes(10_000));
const format = (rate: number) => `${Math.round(rate).toLocaleString('en-US')} find()/s`.padStart(22);

// Same traffic (every request for app0.example.com) with 1 and with 10,000 routers: what the
// other 9,999 routers cost the requests of one site.
// Traffic spread over all 10,000 hosts: each request touches a different router, so this also
// measures CPU cache misses and the host normalization that the one-host case memoizes.
// The three runs alternate for a few rounds and each keeps its best, to damp the noise of a
// shared machine.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
let oneRate = 0;
let manySameRate = 0;
let manySpreadRate = 0;
for (let round = 0; round < rounds; round++) {
  oneRate = Math.max(oneRate, measure(one, requests(1024, 1), seconds));
  manySameRate = Math.max(manySameRate, measure(many, requests(1024, 1), seconds));
  manySpreadRate = Math.max(manySpreadRate, measure(many, requests(1024, 10_000), seconds));
}

console.log(`1 router, 1 host:                 ${format(oneRate)}`);
console.log(
  `10,000 routers, same traffic:     ${format(manySameRate)}  ratio ${(manySameRate / oneRate).toFixed(3)} (target >= 0.90)`,
);
console.log(
  `10,000 routers, 10,000 hosts hit: ${format(manySpreadRate)}  ratio ${(manySpreadRate / oneRate).toFixed(3)}`,
);
