/**
 * Finds the line a key path sits on in a config file, so errors can say `file:line`. Keys are
 * matched case-insensitively, as they are when the config is read. YAML positions are exact;
 * TOML and JSON are located by a scan of the text, which is right for ordinary files.
 */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type LineLocator = (keyPath: readonly (string | number)[]) => number | undefined;

export function locateInYaml(
  document: Document,
  lineCounter: LineCounter,
  keyPath: readonly (string | number)[],
): number | undefined {
  let node: unknown = document.contents;
  let offset: number | undefined;
  for (const segment of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) =>
          isScalar(item.key) && String(item.key.value).toLowerCase() === String(segment).toLowerCase(),
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0];
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

export function locateInToml(text: string, keyPath: readonly (string | number)[]): number | undefined {
  const names = keyPath.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase());
  const lines = text.split('\n');
  let table: string[] = [];
  let best: { line: number; depth: number } | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      table = splitTomlKey(header[1] as string);
      consider(table, index);
      return;
    }
    const assignment = /^([A-Za-z0-9_."'-]+)\s*=/.exec(line);
    if (assignment) consider([...table, ...splitTomlKey(assignment[1] as string)], index);
  });
  return best?.line;

  function consider(path: string[], index: number) {
    let depth = 0;
    while (depth < path.length && depth < names.length && path[depth] === names[depth]) depth++;
    // Only a line whose whole key lies on the path counts; the deepest match wins.
    if (depth === path.length && depth > 0 && (!best || depth > best.depth))
      best = { line: index + 1, depth };
  }
}

function splitTomlKey(key: string): string[] {
  return key.split('.').map((part) =>
    part
      .trim()
      .replace(/^["']|["']$/g, '')
      .toLowerCase(),
  );
}

export function locateInJson(text: string, keyPath: readonly (string | number)[]): number | undefined {
  let offset = 0;
  let found: number | undefined;
  for (const segment of keyPath) {
    if (typeof segment === 'number') continue;
    const match = new RegExp(`"${escapeRegExp(segment)}"\\s*:`, 'i').exec(text.slice(offset));
    if (!match) break;
    offset += match.index + 1;
    found = offset;
  }
  return found === undefined ? undefined : text.slice(0, found).split('\n').length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
