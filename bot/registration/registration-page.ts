/** The setup page's HTML: one form that posts the manifest to GitHub's "new app" page. */

/** Escapes text for HTML content and for attribute values in either quote style. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function registrationPage(options: {
  manifest: Record<string, unknown>;
  createAppUrl: string;
  state: string;
  webhookUrl: string;
}): string {
  const { manifest, createAppUrl, state, webhookUrl } = options;
  const action = `${createAppUrl}?state=${encodeURIComponent(state)}`;
  const events = (manifest.default_events as string[]).join(', ');
  const permissions = Object.entries(manifest.default_permissions as Record<string, string>)
    .map(([name, level]) => `${name}: ${level}`)
    .join(', ');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Register the affineur GitHub App</title></head>
<body>
<h1>Register the affineur GitHub App</h1>
<p>This registers <strong>${escapeHtml(String(manifest.name))}</strong> on GitHub from the package's <code>app.yml</code>.
GitHub then sends you back here, and the credentials are written to <code>.env</code>.</p>
<ul>
<li>Webhook URL: <code>${escapeHtml(webhookUrl)}</code> (set <code>PUBLIC_URL</code> to the address GitHub can reach)</li>
<li>Events: ${escapeHtml(events)}</li>
<li>Permissions: ${escapeHtml(permissions)}</li>
<li>Public: ${manifest.public === true ? 'yes' : 'no (only your account can install it)'}</li>
</ul>
<form action="${escapeHtml(action)}" method="post">
<input type="hidden" name="manifest" id="manifest" value="${escapeHtml(JSON.stringify(manifest))}">
<button type="submit">Register the GitHub App</button>
</form>
</body>
</html>
`;
}

export function registeredPage(options: { htmlUrl: string; envFile: string }): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>affineur is registered</title></head>
<body>
<h1>The app is registered</h1>
<p>Its credentials are in <code>${escapeHtml(options.envFile)}</code>. Next:</p>
<ol>
<li><a href="${escapeHtml(`${options.htmlUrl}/installations/new`)}">Install the app on your repositories</a>.</li>
<li>Restart <code>affineur bot</code> in the directory of that <code>.env</code> (or pass its variables to your container).</li>
</ol>
</body>
</html>
`;
}
