/**
 * The rule of a router that labels leave without one: `defaultRule`, a Go template over the
 * container (`.Name`, `.ContainerName`, `.Labels`) with Sprig and `normalize`. Traefik's own
 * default, ``Host(`{{ normalize .Name }}`)``, is computed directly; any other template goes to
 * the template engine the proxy hands in.
 */
import { AffineurError } from '../../../src/errors/affineur-error.js';
import { defaultDockerRule } from './docker-options-schema.js';
import { normalizeName } from './normalize-name.js';

export interface DefaultRuleModel {
  Name: string;
  ContainerName: string;
  Labels: Readonly<Record<string, string>>;
}

/** The shape of the Go template engine: `renderTemplate(source, data, options?)`. */
export type RenderTemplate = (
  source: string,
  data: unknown,
  options?: { functions?: Record<string, (...args: never[]) => unknown>; name?: string },
) => string;

export type DefaultRule = (model: DefaultRuleModel) => string;

export function makeDefaultRule(template: string, render: RenderTemplate | undefined): DefaultRule {
  if (template === defaultDockerRule) return (model) => `Host(\`${normalizeName(model.Name)}\`)`;
  if (!render) {
    throw new AffineurError(
      'AFF_ERR_CONFIG_UNSUPPORTED',
      'a custom defaultRule needs the Go template engine, which this build does not have.',
      {
        keyPath: 'providers.docker.defaultRule',
        hint: "Remove defaultRule to use Traefik's default, or set a rule label on each container.",
      },
    );
  }
  return (model) =>
    render(template, model, {
      functions: { normalize: normalizeName as (...args: never[]) => unknown },
      name: 'defaultRule',
    });
}
