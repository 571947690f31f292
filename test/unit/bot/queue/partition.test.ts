import { expect, it } from 'vitest';
import { partitionOf } from '../../../../bot/queue/partition.js';
import { orderingKeyOf } from '../../../../bot/queue/queued-event.js';

it('maps a repository to the same partition every time, within range', () => {
  for (const key of ['traefik/traefik', 'acme/one', 'installation:42', 'émoji/répo']) {
    const partition = partitionOf(key, 8);
    expect(partition).toBe(partitionOf(key, 8));
    expect(partition).toBeGreaterThanOrEqual(0);
    expect(partition).toBeLessThan(8);
  }
});

it('spreads repositories over the partitions', () => {
  const used = new Set(Array.from({ length: 200 }, (_, i) => partitionOf(`org/repo-${i}`, 8)));
  expect(used.size).toBe(8);
});

it('orders by repository, case-insensitively, else by installation', () => {
  expect(orderingKeyOf({ repository: { full_name: 'Traefik/Traefik' } })).toBe('traefik/traefik');
  expect(orderingKeyOf({ installation: { id: 7 } })).toBe('installation:7');
  expect(orderingKeyOf({})).toBe('global');
});
