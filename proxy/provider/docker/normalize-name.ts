/**
 * Traefik's `normalize`: every run of characters that are neither letters nor digits becomes
 * one "-", and leading or trailing ones are dropped (`/my_app.1` → `my-app-1`). Names of
 * automatic services and routers, and the default rule's host, are made with it.
 */
export function normalizeName(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part !== '')
    .join('-');
}
