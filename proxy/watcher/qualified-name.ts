/** `name@provider`: names are unique per provider, so the watcher namespaces them on merge. */
export function qualifyName(name: string, provider: string): string {
  return name.includes('@') ? name : `${name}@${provider}`;
}

export function providerOf(qualified: string): string | undefined {
  const at = qualified.lastIndexOf('@');
  return at === -1 ? undefined : qualified.slice(at + 1);
}

/**
 * A reference written in an object's own config, qualified as Traefik does: `x` means `x` of
 * the provider of `owner` (a qualified name); `x@other` is kept.
 */
export function qualifyReference(reference: string, owner: string): string {
  const provider = providerOf(owner);
  return provider === undefined ? reference : qualifyName(reference, provider);
}
