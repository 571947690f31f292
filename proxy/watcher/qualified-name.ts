/** `name@provider`: names are unique per provider, so the watcher namespaces them on merge. */
export function qualifyName(name: string, provider: string): string {
  return name.includes('@') ? name : `${name}@${provider}`;
}

export function providerOf(qualified: string): string | undefined {
  const at = qualified.lastIndexOf('@');
  return at === -1 ? undefined : qualified.slice(at + 1);
}
