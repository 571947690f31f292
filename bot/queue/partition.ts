/**
 * Maps an ordering key (a repository) to one of `count` partitions, stably across processes
 * and restarts: FNV-1a over the key's UTF-8 bytes.
 */
export function partitionOf(orderingKey: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(orderingKey, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}
