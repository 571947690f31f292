/**
 * The app-level webhooks: `installation.created` (the sandbox sends it when the app's webhook
 * URL is first set, standing in for the moment a user installs the app) and
 * `installation_repositories.added` when a repository joins an installation.
 */
import type { ForgeContext } from '../forge-context.js';
import { installation as installationShape } from '../shapes/app.js';
import { simpleUser } from '../shapes/user.js';
import type { AccountRecord, InstallationRecord, RepoRecord } from '../state/model.js';
import { installationCovers } from '../state/queries.js';
import { nodeId } from '../state/timestamp.js';

const repoRef = (repo: RepoRecord) => ({
  id: repo.id,
  node_id: nodeId('Repository', repo.id),
  name: repo.name,
  full_name: `${repo.ownerLogin}/${repo.name}`,
  private: repo.private,
});

function installationPayload(ctx: ForgeContext, record: InstallationRecord) {
  return installationShape(ctx.urls, ctx.store.state, record);
}

export function emitInstallationCreated(
  ctx: ForgeContext,
  record: InstallationRecord,
  sender: AccountRecord,
) {
  const repositories = ctx.store.state.repos.filter((r) => installationCovers(record, r)).map(repoRef);
  ctx.events.emit(
    'installation',
    {
      action: 'created',
      installation: installationPayload(ctx, record),
      repositories,
      requester: simpleUser(ctx.urls, sender),
      sender: simpleUser(ctx.urls, sender),
    },
    null,
    record.id,
  );
}

export function emitRepositoryAdded(ctx: ForgeContext, repo: RepoRecord, sender: AccountRecord) {
  for (const record of ctx.store.state.installations.filter((i) => installationCovers(i, repo))) {
    ctx.events.emit(
      'installation_repositories',
      {
        action: 'added',
        installation: installationPayload(ctx, record),
        repository_selection: record.repositorySelection,
        repositories_added: [repoRef(repo)],
        repositories_removed: [],
        requester: simpleUser(ctx.urls, sender),
        sender: simpleUser(ctx.urls, sender),
      },
      null,
      record.id,
    );
  }
}
