/** GitHub App shapes: `integration`, `installation`, webhook deliveries. */
import type { ForgeUrls } from '../forge-context.js';
import type { AppRecord, DeliveryRecord, ForgeState, InstallationRecord } from '../state/model.js';
import { accountOrThrow } from '../state/queries.js';
import { nodeId } from '../state/timestamp.js';
import { simpleUser } from './user.js';

export function integration(urls: ForgeUrls, state: ForgeState, app: AppRecord) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('Integration', app.id),
    client_id: app.clientId,
    owner: simpleUser(urls, accountOrThrow(state, app.ownerLogin)),
    name: app.name,
    description:
      app.description === undefined
        ? 'The affineur sandbox app, installed on every repository of the forge.'
        : app.description,
    external_url: app.externalUrl ?? `${urls.web}/apps/${app.slug}`,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    permissions: app.permissions,
    events: app.events,
    installations_count: state.installations.filter((i) => i.appId === app.id).length,
  };
}

export function installation(urls: ForgeUrls, state: ForgeState, record: InstallationRecord) {
  const app = state.apps.find((a) => a.id === record.appId);
  const account = accountOrThrow(state, record.accountLogin);
  return {
    id: record.id,
    account: simpleUser(urls, account),
    repository_selection: record.repositorySelection,
    access_tokens_url: `${urls.api}/app/installations/${record.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/settings/installations/${record.id}`,
    app_id: record.appId,
    app_slug: app?.slug ?? '',
    target_id: account.id,
    target_type: account.type === 'Organization' ? 'Organization' : 'User',
    permissions: app?.permissions ?? {},
    events: app?.events ?? [],
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [] as string[],
    suspended_by: null,
    suspended_at: null,
  };
}

export function deliveryItem(record: DeliveryRecord) {
  return {
    id: record.id,
    guid: record.guid,
    delivered_at: record.deliveredAt,
    redelivery: record.redelivery,
    duration: record.duration,
    status: record.status,
    status_code: record.statusCode,
    event: record.event,
    action: record.action,
    installation_id: record.installationId,
    repository_id: record.repositoryId,
    throttled_at: null,
  };
}

export function delivery(record: DeliveryRecord) {
  return {
    ...deliveryItem(record),
    url: record.url,
    request: record.request,
    response: record.response,
  };
}
