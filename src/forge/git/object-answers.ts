/**
 * Remembers answers that depend only on git objects named by full SHAs: a commit's fields, the
 * paths it touched, the merge of two commits. Objects never change, so such an answer is true
 * forever and the forge need not spawn git to ask again. Answers about refs (which move) must
 * never go through here. Failed answers are forgotten, so a retry asks git again.
 */
export class ObjectAnswers {
  private readonly capacity: number;
  private readonly answers = new Map<string, Promise<unknown>>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  answer<T>(key: string, ask: () => Promise<T>): Promise<T> {
    const known = this.answers.get(key);
    if (known) return known as Promise<T>;
    // Frozen: every caller gets the same object, so none may change it under the others.
    const asked = ask().then(deepFreeze);
    this.answers.set(key, asked);
    asked.catch(() => this.answers.delete(key));
    // Oldest first: a Map iterates in insertion order.
    if (this.answers.size > this.capacity) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    return asked;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Whether `rev` is a full object name, i.e. names one object forever (unlike a ref). */
export function isFullSha(rev: string): boolean {
  return /^[0-9a-f]{40}$/.test(rev);
}
