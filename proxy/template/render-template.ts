/**
 * Renders a Go `text/template` (the language of Traefik's file-provider templates and of
 * `defaultRule`) with Go's builtins, the Sprig functions Traefik offers, and any extra
 * functions given. Errors are AffineurErrors (AFF_ERR_PROXY_TEMPLATE) naming the template
 * (`options.name`, usually the file), the line and the column.
 */
import { goBuiltins, type TemplateFunction } from './go-builtins.js';
import { sprigFunctions } from './sprig-functions.js';
import { executeTemplate } from './template-evaluator.js';
import { parseTemplate } from './template-parser.js';

export interface RenderTemplateOptions {
  /** The template's name in errors, e.g. the file it came from. */
  name?: string;
  /** Extra functions; they replace builtins or Sprig functions of the same name. */
  functions?: Record<string, (...args: unknown[]) => unknown>;
}

const defaultFunctions: Readonly<Record<string, TemplateFunction>> = { ...sprigFunctions, ...goBuiltins };

export function renderTemplate(source: string, data: unknown, options: RenderTemplateOptions = {}): string {
  const functions = options.functions ? { ...defaultFunctions, ...options.functions } : defaultFunctions;
  const parsed = parseTemplate(source, options.name ?? 'template', new Set(Object.keys(functions)));
  return executeTemplate(parsed, data, functions);
}
