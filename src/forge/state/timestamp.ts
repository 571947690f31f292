/** GitHub prints every timestamp in UTC, to the second, with a `Z`. */
export function isoSeconds(date: string | Date): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A GraphQL-style global node id; opaque to clients, stable for a record. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64').replace(/=+$/, '');
}
