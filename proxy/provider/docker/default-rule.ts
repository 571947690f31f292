/**
 * The rule of a router that labels leave without one: `defaultRule`, a Go template over the
 * container (`.Name`, `.ContainerName`, `.Labels`) with Sprig and Traefik's `normalize`.
 * Traefik's own default, ``Host(`{{ normalize .Name }}`)``, is computed directly (it runs for
 * every container of every re-list); any other template goes through the template engine,
 * parsed once here so that a template that does not parse stops the start.
 */
import { renderTemplate } from '../../template/render-template.js';
import { defaultDockerRule } from './docker-options-schema.js';
import { normalizeName } from './normalize-name.js';

export interface DefaultRuleModel {
  Name: string;
  ContainerName: string;
  Labels: Readonly<Record<string, string>>;
}

export type DefaultRule = (model: DefaultRuleModel) => string;

const functions = { normalize: (name: unknown) => normalizeName(String(name)) };

export function makeDefaultRule(template: string): DefaultRule {
  if (template === defaultDockerRule) return (model) => `Host(\`${normalizeName(model.Name)}\`)`;
  const render = (model: DefaultRuleModel) =>
    renderTemplate(template, model, { functions, name: 'providers.docker.defaultRule' });
  render({ Name: 'example', ContainerName: 'example', Labels: {} });
  return render;
}
