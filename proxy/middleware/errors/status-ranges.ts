/** Status codes and ranges as the errors middleware writes them: "404", "500-599", "500,502". */

export type StatusRanges = readonly (readonly [number, number])[];

/** Parses the entries; returns the first bad entry's text instead when there is one. */
export function parseStatusRanges(entries: readonly (string | number)[]): StatusRanges | { bad: string } {
  const out: [number, number][] = [];
  for (const entry of entries) {
    for (const part of String(entry).split(',')) {
      const text = part.trim();
      const match = /^(\d{3})(?:-(\d{3}))?$/.exec(text);
      if (!match) return { bad: text };
      const from = Number(match[1]);
      const to = match[2] === undefined ? from : Number(match[2]);
      if (from < 100 || to > 599 || from > to) return { bad: text };
      out.push([from, to]);
    }
  }
  return out;
}

export function inRanges(status: number, ranges: StatusRanges): boolean {
  for (const [from, to] of ranges) if (status >= from && status <= to) return true;
  return false;
}
