/**
 * The slug is how a cheese is written in tags, branch-free contexts and codenames.json:
 * lower-case ASCII letters and digits only, as Traefik writes its codenames
 * ("Saint-Nectaire" → `saintnectaire`, "Mont d'Or" → `montdor`).
 */
export function cheeseSlug(name: string): string {
  return (
    name
      // Ligatures do not decompose under NFD; spell them out first ("Cœur" → "coeur").
      .replace(/œ/g, 'oe')
      .replace(/Œ/g, 'Oe')
      .replace(/æ/g, 'ae')
      .replace(/Æ/g, 'Ae')
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
  );
}
