import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSandboxCommand } from '../../../../src/forge/cli/sandbox-command.js';

export function sandboxCommandTests(): void {
  describe('createSandboxCommand', () => {
    it('starts injected apps against the running forge and closes them before the forge', async () => {
      const events: string[] = [];
      let stop = () => {};
      const stopped = new Promise<void>((resolve) => {
        stop = resolve;
      });
      const command = createSandboxCommand({
        async startApps(forge) {
          const response = await fetch(`${forge.apiUrl}/user`, {
            headers: { authorization: `token ${forge.adminToken}` },
          });
          events.push(`started ${response.status}`);
          return {
            async close() {
              const still = await fetch(`${forge.apiUrl}/user`, {
                headers: { authorization: `token ${forge.adminToken}` },
              });
              events.push(`closed while the forge answers ${still.status}`);
            },
          };
        },
        untilStopped: () => stopped,
      });
      const stdout = new PassThrough();
      const printed = once(stdout, 'data');
      const run = command.run(['--json'], { stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd() });
      const [line] = (await printed) as [Buffer];
      const info = JSON.parse(line.toString()) as { api: string };
      expect(info.api).toMatch(/\/api\/v3$/);
      stop();
      expect(await run).toBe(0);
      expect(events).toEqual(['started 200', 'closed while the forge answers 200']);
    });
  });
}
