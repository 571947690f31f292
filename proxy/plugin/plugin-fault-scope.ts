/**
 * Keeps a plugin's failures inside the plugin. Plugin code runs in an AsyncLocalStorage scope
 * that knows which request (or build) it serves, so even an exception thrown later from a timer
 * or an unawaited promise is traced back to it: that request gets a 500 and the proxy lives on.
 * An exception from anywhere else keeps Node's default outcome (the process exits).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface FaultScope {
  onFault(error: unknown): void;
}

const scopes = new AsyncLocalStorage<FaultScope>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (error) => {
    const scope = scopes.getStore();
    if (scope) {
      scope.onFault(error);
      return;
    }
    // Not a plugin's: when nobody else listens, do what Node would have done.
    if (process.listenerCount('uncaughtException') === 1) {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    }
  });
}

export function runInFaultScope<T>(scope: FaultScope, run: () => T): T {
  install();
  return scopes.run(scope, run);
}

/**
 * Runs proxy code called from plugin code (a provider's emit) outside the plugin's scope, so
 * that the timers and sockets it creates do not inherit the scope and have the proxy's own
 * failures blamed on, and swallowed for, the plugin.
 */
export function outsideFaultScope<T>(run: () => T): T {
  return scopes.exit(run);
}
