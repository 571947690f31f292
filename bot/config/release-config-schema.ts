/**
 * The `release:` section of `.github/affineur.yml`: how the bot's `/release` writes the
 * changelog. Kept in its own file so the release settings grow without touching the others.
 */
import { z } from 'zod';
import { contributorStyles } from '../../release/changelog/changelog-style.js';

export const releaseConfigSchema = z
  .strictObject({
    changelog: z
      .strictObject({
        contributors: z.enum(contributorStyles).default('by-mention').meta({
          description:
            'How entries credit their author: `by-mention` ("by @login"), `mention` ("@login", Traefik since 2026) or `link` ("by [login](url)", Traefik’s older form).',
        }),
        mergeBacks: z.boolean().default(true).meta({
          description:
            'List merge-back pull requests ("Merge branch v2.11 into v3.6") under Misc, as Traefik does.',
        }),
      })
      .prefault({})
      .meta({ description: 'The CHANGELOG.md section written for each release.' }),
  })
  .prefault({})
  .meta({ description: 'Cheese-named releases started with `/release` (see docs/release.md).' });
